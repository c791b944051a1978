import math
from dataclasses import dataclass

@dataclass
class Point:
    x:float
    y : float
    def __add__(self,other):
        return Point(self.x+other.x,self.y+other.y)
    def norm(self) -> float:
        return math.sqrt(self.x**2+self.y**2)



def distance(a:Point,b:Point)->float:
    d = Point(a.x-b.x, a.y-b.y)
    return d.norm()

def centroid(points):
    n=len(points)
    if n==0: raise ValueError("no points")
    return Point(sum([p.x for p in points])/n, sum([p.y for p in points])/n)

def polygon_area(points: list[Point]) -> float:
    area = 0.0
    for i in range(len(points)):
        j = (i+1)%len(points)
        area += points[i].x*points[j].y - points[j].x*points[i].y
    return abs(area)/2
