"""One run's records as tidy DataFrames, one line per table (the engine never imports pandas)."""

from __future__ import annotations

import pandas as pd

from simulator.engine.records import RunOutput


def frames(output: RunOutput) -> dict[str, pd.DataFrame]:
    """Table name -> DataFrame with the documented columns plus ``replication``.

    Empty tables keep their columns, so code downstream can always select by name.
    """
    tables = {}
    for name, columns in output.columns().items():
        frame = pd.DataFrame.from_records(getattr(output, name), columns=list(columns))
        frame["replication"] = output.replication
        tables[name] = frame
    return tables
