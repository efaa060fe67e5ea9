"""Joining: what a newcomer to one area of a collaboration changes for every member."""

from .context import TIERS, JoiningResult
from .evaluate import all_joining, best_areas_for, joining_effect

__all__ = ["joining_effect", "best_areas_for", "all_joining", "JoiningResult", "TIERS"]
