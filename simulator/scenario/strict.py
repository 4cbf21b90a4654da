"""The base every scenario model derives from, and the two bounded number types they share.

Frozen pydantic models with ``extra="forbid"``: a typo is an error, never a silently ignored
key. Kept apart from the models so each domain module (product, segments, teams, ...) can
derive from it without importing the others.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Probability = Annotated[float, Field(ge=0, le=1)]
Share = Annotated[float, Field(ge=0, le=1)]


class Strict(BaseModel):
    """Base of every scenario model: immutable, no unknown keys, no NaN or infinity."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        serialize_by_alias=True,
        populate_by_name=True,
        validate_default=True,
    )
