"""How many recipients to verify after distribution, and which: Cochran's sample size with finite-population
correction, and a seeded draw that anyone can redo from the stored seed and population."""

import math
import random
from dataclasses import dataclass
from statistics import NormalDist

CONFIDENCE_LEVELS = (90, 95, 99)  # percent
MARGINS = (5, 10, 15)  # percent
P = 0.5  # the most cautious share (largest sample) when nothing is known beforehand


def z_score(confidence: int) -> float:
    """The two-sided normal quantile of a confidence level in percent: 95 -> 1.959964."""
    if not 0 < confidence < 100:
        raise ValueError(confidence)
    return NormalDist().inv_cdf(1 - (1 - confidence / 100) / 2)


def cochran(population: int, confidence: int, margin: int) -> int:
    """n0 = z²·p(1−p)/e², n = ceil(N·n0 / (n0 + N − 1)), never more than N (0 for an empty population)."""
    if population <= 0:
        return 0
    if not 0 < margin < 100:
        raise ValueError(margin)
    e = margin / 100
    n0 = z_score(confidence) ** 2 * P * (1 - P) / e**2
    return min(population, math.ceil(population * n0 / (n0 + population - 1)))


@dataclass(frozen=True)
class Working:
    """Cochran's computation with its numbers, to show on the sample's page (the same steps as `cochran`)."""

    population: int
    confidence: int
    margin: int
    z: float
    n0: float
    size: int


def working(population: int, confidence: int, margin: int) -> Working:
    e = margin / 100
    z = z_score(confidence)
    n0 = z**2 * P * (1 - P) / e**2
    return Working(population, confidence, margin, z, n0, cochran(population, confidence, margin))


def draw(population_ids: list[int], size: int, seed: int) -> list[int]:
    """`size` of the ids, drawn with a generator seeded by `seed` (from the ids in ascending order, so the same
    seed and population always give the same sample, in the same order)."""
    return random.Random(seed).sample(sorted(population_ids), size)
