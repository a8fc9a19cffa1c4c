"""Sensors: the raw folder is watched; new and changed files are (re)processed alone.

The cursor maps each file name to its size and modification time (cheap on every tick: no
file is read). A new file adds a partition, a
changed one is requested again (its run key carries the new hash), a removed one deletes its
partition; a successful document run then triggers the publish job.
"""

from __future__ import annotations

import json

import dagster as dg

from pipelines.jobs import documents_job, publish_job
from pipelines.partitions import documents_partitions
from pipelines.pipeline import list_raw_files
from pipelines.resources import CoopPaths


def diff_folder(previous: dict[str, str], current: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """(added, changed, removed) file names between two {name: sha256} snapshots."""
    added = sorted(set(current) - set(previous))
    changed = sorted(n for n in set(current) & set(previous) if current[n] != previous[n])
    removed = sorted(set(previous) - set(current))
    return added, changed, removed


def _stamp(path) -> str:
    st = path.stat()
    return f"{st.st_size}-{st.st_mtime_ns}"


@dg.sensor(job=documents_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.STOPPED)
def raw_folder_sensor(context: dg.SensorEvaluationContext, coop: CoopPaths):
    files, _ = list_raw_files(coop.paths().raw_dir)
    current = {f.name: _stamp(f.path) for f in files}
    previous = json.loads(context.cursor) if context.cursor else {}
    added, changed, removed = diff_folder(previous, current)
    requests = [dg.RunRequest(partition_key=n, run_key=f"{n}@{current[n]}") for n in added + changed]
    partition_requests = []
    if added:
        partition_requests.append(documents_partitions.build_add_request(added))
    if removed:
        partition_requests.append(documents_partitions.build_delete_request(removed))
    context.update_cursor(json.dumps(current))
    if removed and not requests:  # only deletions: republish so their facts leave the warehouse
        return dg.SensorResult(
            run_requests=[dg.RunRequest(job_name=publish_job.name, run_key=f"removed@{json.dumps(removed)}")],
            dynamic_partitions_requests=partition_requests,
        )
    return dg.SensorResult(run_requests=requests, dynamic_partitions_requests=partition_requests)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[documents_job],
    request_job=publish_job,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def publish_after_documents(context: dg.RunStatusSensorContext):
    return dg.RunRequest(run_key=f"publish-after-{context.dagster_run.run_id}")
