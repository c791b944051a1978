from .geometry import Point, distance
from .text import *
