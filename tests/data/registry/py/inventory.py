"""A small inventory module with the kinds of mistakes linters find."""
import os, sys
from typing import List, Dict, Optional
import json
from collections import defaultdict


class Item(object):
    def __init__(self, name, price, tags=[]):
        self.name = name
        self.price = price
        self.tags = tags

    def __eq__(self, other):
        return self.name == other.name and self.price == other.price

    def label(self):
        return "%s (%.2f)" % (self.name, self.price)


def load(path: str) -> List[Dict]:
    f = open(path)
    data = json.load(f)
    f.close()
    return data


def total(items: List[Item], discount: Optional[float] = None) -> float:
    s = 0
    for i in range(len(items)):
        s = s + items[i].price
    if discount != None:
        s = s * (1 - discount)
    return s


def by_tag(items):
    groups = defaultdict(list)
    for item in items:
        for t in item.tags:
            groups[t].append(item)
    return dict([(k, v) for k, v in groups.items()])


def cheapest(items):
    try:
        return sorted(items, key=lambda i: i.price)[0]
    except:
        return None


def describe(item):
    if item.price > 100:
        return True
    else:
        return False


if __name__ == "__main__":
    items = [Item(d["name"], d["price"]) for d in load(sys.argv[1])]
    print("total: {}".format(total(items)))
