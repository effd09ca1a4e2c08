"""How likely a gap between two groups' rates is by chance (Fisher's exact test), and p-values adjusted for
an analysis's many comparisons (Holm): services/persistence/fairness.py's statistics, with no dependency."""

from __future__ import annotations

import math
from collections.abc import Sequence


def fisher_exact(hits: int, size: int, other_hits: int, other_size: int) -> float:
    """Two-sided p-value of Fisher's exact test: how likely rates at least this far apart are, were both
    groups drawn alike (the hypergeometric distribution of the first group's hits given all hits), as
    scipy.stats.fisher_exact computes it."""
    total, all_hits = size + other_size, hits + other_hits

    def log_p(x: int) -> float:
        return _log_comb(all_hits, x) + _log_comb(total - all_hits, size - x) - _log_comb(total, size)

    observed = log_p(hits)
    possible = range(max(0, all_hits - other_size), min(all_hits, size) + 1)
    return min(1.0, sum(math.exp(log_p(x)) for x in possible if log_p(x) <= observed + 1e-7))


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values, in the order given: the i-th smallest of m is multiplied by m - i + 1,
    kept at least as large as the one before it and at most 1 (as statsmodels' multipletests 'holm')."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted, running = [0.0] * len(p_values), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted
