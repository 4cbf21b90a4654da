"""A run's payload: what encode writes decode reads back exactly; anything else is refused, not misread."""

from __future__ import annotations

import gzip
import io
import json
import math

import pandas as pd
import pytest

from simulator.engine.records import RunOutput
from simulator.experiment import worker
from simulator.experiment.worker import (
    PAYLOAD_FORMAT,
    VARIANT_TOKEN,
    RunOutcome,
    check_key,
    decode,
    encode,
    label_field,
    read_header,
    table_csv,
)


def _output() -> RunOutput:
    customers = [(0, "smb", "pool", -3.5, 0.1, 7000.0, 7100.25, False, math.nan, "A+B", "A", 2, 1, 3, 0.61, 0.5, 0.4,
                  True, -1)]  # fmt: skip
    surveys = [(0, "smb", 12.125, 9), (0, "smb", 40.0, 3)]
    return RunOutput(customers=customers, needs=[], csms=[], timeseries=[], touches=[], renewals=[], surveys=surveys)


def test_round_trip_keeps_metrics_exactly_and_tables_as_pandas_writes_them() -> None:
    output = _output()
    metrics = {"grr": 0.1 + 0.2, "nps": math.nan, "nrr": math.inf}
    saved = decode(encode(RunOutcome(metrics=metrics, tables={}, records=output), replication=7))
    assert saved.metrics["grr"] == 0.1 + 0.2 and math.isnan(saved.metrics["nps"]) and math.isnan(saved.metrics["nrr"])
    assert list(saved.csv) == list(output.columns())
    frame = pd.DataFrame.from_records(output.surveys, columns=list(output.columns()["surveys"]))
    assert saved.csv["surveys"] == table_csv(frame, 7).encode()
    assert bytes(saved.csv["surveys"]).startswith(
        f"variant,replication,customer,segment,day,score\n{VARIANT_TOKEN},7,".encode()
    )
    assert saved.label_field == VARIANT_TOKEN.encode()


def test_a_label_is_written_quoted_in_every_row() -> None:
    payload = encode(RunOutcome(metrics={}, tables={}, records=_output()), replication=2, label='a "b", c')
    saved = decode(payload)
    assert saved.label_field == label_field('a "b", c') == b'"a ""b"", c"'
    rows = bytes(saved.csv["surveys"]).splitlines()[1:]
    assert rows == [b'"a ""b"", c",2,0,smb,12.125,9', b'"a ""b"", c",2,0,smb,40.0,3']


def test_tables_without_records_are_written_by_pandas() -> None:
    frame = pd.DataFrame({"month": [1, 2], "arr_usd": [1.5, math.nan]})
    saved = decode(encode(RunOutcome(metrics={}, tables={"timeseries": frame}), replication=0))
    assert saved.csv == {
        "timeseries": f"variant,replication,month,arr_usd\n{VARIANT_TOKEN},0,1,1.5\n{VARIANT_TOKEN},0,2,\n".encode()
    }


def test_an_older_format_or_damaged_bytes_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    old = gzip.compress(json.dumps({"format": 2, "metrics": {}, "tables": {}}).encode())
    with pytest.raises(ValueError, match=f"not a saved run of format {PAYLOAD_FORMAT}"):
        decode(old)
    whole = encode(RunOutcome(metrics={"grr": 0.9}, tables={}, records=_output()), replication=0)
    with pytest.raises(ValueError, match="not a saved run"):
        decode(whole[:-5])  # cut short: the header accounts for more bytes
    with pytest.raises(ValueError, match="not a saved run"):
        decode(whole[:20])
    with monkeypatch.context() as patch:
        patch.setattr(worker, "PAYLOAD_FORMAT", 99)
        other = encode(RunOutcome(metrics={"grr": 0.9}, tables={}, records=_output()), replication=0)
    with pytest.raises(ValueError, match=f"format 99, expected {PAYLOAD_FORMAT}"):
        decode(other)


def test_a_payload_records_its_key_and_is_refused_as_another_run() -> None:
    key, other = "ab" * 16, "cd" * 16
    payload = encode(RunOutcome(metrics={"grr": 0.9}, tables={}, records=_output()), replication=0, key=key)
    assert decode(payload, key).metrics == {"grr": 0.9}
    with pytest.raises(ValueError, match=f"it holds run {key}, not {other}"):
        decode(payload, other)
    stream = io.BytesIO(payload)
    header = read_header(stream)
    assert header["key"] == key and stream.tell() < len(payload)  # the tables are not read
    keyless = encode(RunOutcome(metrics={}, tables={}, records=_output()), replication=0)
    with pytest.raises(ValueError, match="records no run key"):
        check_key(read_header(io.BytesIO(keyless)), key)
