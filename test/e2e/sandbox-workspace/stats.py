"""Small descriptive statistics helpers, without numpy."""
import math
from collections import Counter
from typing import Iterable, Sequence


def mean(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("mean of an empty sequence")
    return sum(values) / len(values)


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of an empty sequence")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2 == 1:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def mode(values: Iterable[float]) -> float:
    counts = Counter(values)
    if not counts:
        raise ValueError("mode of an empty sequence")
    value, _ = counts.most_common(1)[0]
    return value


def variance(values: Sequence[float], sample: bool = True) -> float:
    n = len(values)
    if n < 2:
        raise ValueError("variance needs at least two values")
    centre = mean(values)
    squares = sum((x - centre) ** 2 for x in values)
    return squares / (n - 1 if sample else n)


def stdev(values: Sequence[float], sample: bool = True) -> float:
    return math.sqrt(variance(values, sample))


def percentile(values: Sequence[float], p: float) -> float:
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def histogram(values: Iterable[float], bins: int = 10) -> list[int]:
    data = list(values)
    if not data:
        return [0] * bins
    low, high = min(data), max(data)
    width = (high - low) / bins or 1
    counts = [0] * bins
    for x in data:
        index = min(int((x - low) / width), bins - 1)
        counts[index] += 1
    return counts


if __name__ == "__main__":
    sample = [2.5, 3.1, 4.7, 4.7, 5.0, 6.2, 8.9]
    print(f"mean={mean(sample):.2f} median={median(sample)} mode={mode(sample)}")
    print(f"stdev={stdev(sample):.3f} p90={percentile(sample, 90):.2f}")
    print(histogram(sample, bins=4))
