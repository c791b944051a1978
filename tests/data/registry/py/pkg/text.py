'''Text helpers.'''
import re

WORD = re.compile('[A-Za-z]+')

def words(s):
    return [w.lower() for w in WORD.findall(s)]

def frequencies(s):
    counts = {}
    for w in words(s):
        if w in counts.keys():
            counts[w] += 1
        else:
            counts[w] = 1
    return counts

def top(s, n = 3):
    l = sorted(frequencies(s).items(), key = lambda kv: (-kv[1], kv[0]))
    return l[:n]

def wrap(text, width=20):
    lines, line = [], ''
    for w in text.split():
        if len(line) + len(w) + 1 > width:
            lines.append(line); line = w
        else:
            line = (line + ' ' + w).strip()
    if line: lines.append(line)
    return lines
