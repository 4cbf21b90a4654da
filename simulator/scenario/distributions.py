"""Distributions a scenario may give for any duration or size.

Each kind is one small frozen class with a ``dist`` discriminator, so a new kind is a class
and a union entry, never an ``if kind == ...`` chain. Sampling takes the caller's
``numpy.random.Generator``: there is no random state here.

A plain number is accepted wherever a distribution is, and means "this mean, with the
field's default shape" (see :func:`number_means`), so short scenario files stay short.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.functional_validators import AfterValidator, BeforeValidator

_FINITE = {"allow_inf_nan": False}

MAX_VALUE = 1e12
"""The largest value, mean or median a distribution takes: far above any ARR, hours or days a
scenario needs, and far enough below the float limit that sums of draws stay finite (at
1e300 the ARR totals overflowed to infinity)."""


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", **_FINITE)  # type: ignore[typeddict-item]

    @property
    def mean(self) -> float:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        """One draw (``size=None``) or an array of ``size`` draws, all >= 0."""
        raise NotImplementedError  # pragma: no cover


class Fixed(_Dist):
    """Always the same value (no randomness)."""

    dist: Literal["fixed"] = "fixed"
    value: float = Field(ge=0, le=MAX_VALUE, description="The value every draw returns (at most 1e12).")

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        return self.value if size is None else np.full(size, self.value)


class Exponential(_Dist):
    """Memoryless; the textbook service time of M/M/c queues (coefficient of variation 1)."""

    dist: Literal["exponential"] = "exponential"
    mean_value: float = Field(gt=0, le=MAX_VALUE, alias="mean", description="Mean of the draws (at most 1e12).")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True, **_FINITE)  # type: ignore[typeddict-item]

    @property
    def mean(self) -> float:
        return self.mean_value

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        return rng.exponential(self.mean_value, size)


class Lognormal(_Dist):
    """Right-skewed sizes such as ARR: give ``median`` (or ``mean``) and ``sigma`` of log."""

    dist: Literal["lognormal"] = "lognormal"
    median: float | None = Field(default=None, gt=0, le=MAX_VALUE, description="Median of the draws (at most 1e12).")
    mean_value: float | None = Field(
        default=None,
        gt=0,
        le=MAX_VALUE,
        alias="mean",
        description="Mean of the draws (instead of median; at most 1e12).",
    )
    sigma: float = Field(default=0.5, ge=0, le=5, description="Standard deviation of log(x).")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True, **_FINITE)  # type: ignore[typeddict-item]

    @model_validator(mode="after")
    def _one_location(self) -> Lognormal:
        if (self.median is None) == (self.mean_value is None):
            raise ValueError("lognormal needs exactly one of 'median' or 'mean'")
        return self

    @property
    def mu(self) -> float:
        if self.median is not None:
            return math.log(self.median)
        assert self.mean_value is not None
        return math.log(self.mean_value) - self.sigma**2 / 2

    @property
    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        return rng.lognormal(self.mu, self.sigma, size)


class Gamma(_Dist):
    """Task durations: a mean and a coefficient of variation (cv 1 is exponential)."""

    dist: Literal["gamma"] = "gamma"
    mean_value: float = Field(gt=0, le=MAX_VALUE, alias="mean", description="Mean of the draws (at most 1e12).")
    cv: float = Field(default=0.5, gt=0, le=10, description="Standard deviation / mean.")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True, **_FINITE)  # type: ignore[typeddict-item]

    @property
    def mean(self) -> float:
        return self.mean_value

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean_value / shape, size)


Dist = Annotated[Fixed | Exponential | Lognormal | Gamma, Field(discriminator="dist")]


def number_means(kind: str, **shape: float) -> BeforeValidator:
    """Let a plain number stand for a distribution of ``kind`` with that mean.

    ``number_means("gamma", cv=0.5)`` turns ``2`` into ``{dist: gamma, mean: 2, cv: 0.5}``.
    The JSON Schema advertises both forms so editors accept either.
    """

    def coerce(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        if kind == "fixed":
            return {"dist": "fixed", "value": value}
        return {"dist": kind, "mean": value, **shape}

    return BeforeValidator(coerce, json_schema_input_type=float | Dist)


Hours = Annotated[Dist, number_means("gamma", cv=0.5)]
"""CSM task hours; a plain number is a gamma with that mean and cv 0.5."""


def _pays_something(dist: Fixed | Exponential | Lognormal | Gamma) -> Fixed | Exponential | Lognormal | Gamma:
    """Only a fixed size can be 0 (the others' means are > 0): a customer paying nothing has no
    revenue to retain, and a segment of them gives GRR and NRR no value at all."""
    if isinstance(dist, Fixed) and dist.value <= 0:
        raise ValueError("must be more than 0: a customer paying nothing has no revenue to retain")
    return dist


Money = Annotated[Dist, number_means("lognormal", sigma=0.5), AfterValidator(_pays_something)]
"""A size in dollars, more than 0; a plain number is a lognormal with that mean and sigma 0.5."""

Days = Annotated[Dist, number_means("fixed")]
"""A delay in days; a plain number is exactly that many days."""
