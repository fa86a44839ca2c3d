"""PgQueuer side by side with `arrears bench queue`: the same phases on the same server.

Enqueue --jobs no-op jobs in batches, drain them with --workers consumer processes (batch
--batch), then time enqueue->start of single jobs on the idle queue. Needs `pip install
pgqueuer asyncpg` and a database with `pgq install` applied:

    python3 Tools/pgqueuer_bench.py --dsn "postgresql:///pgqbench?host=/path/to/socket"
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import tempfile
import time

import asyncpg
from pgqueuer import QueueManager
from pgqueuer.db import AsyncpgDriver
from pgqueuer.models import Job
from pgqueuer.queries import Queries
from pgqueuer.types import QueueExecutionMode


async def enqueue(dsn: str, jobs: int, batch: int) -> float:
    connection = await asyncpg.connect(dsn)
    queries = Queries(AsyncpgDriver(connection))
    began = time.perf_counter()
    for start in range(0, jobs, batch):
        count = min(batch, jobs - start)
        await queries.enqueue(["noop"] * count, [None] * count, [0] * count)
    elapsed = time.perf_counter() - began
    await connection.close()
    return jobs / elapsed


def consume(dsn: str, batch: int, mode: str, starts_file: str | None) -> None:
    async def main() -> None:
        connection = await asyncpg.connect(dsn)
        manager = QueueManager(Queries(AsyncpgDriver(connection)))

        @manager.entrypoint("noop")
        async def noop(job: Job) -> None:
            if starts_file is not None:
                with open(starts_file, "a") as handle:
                    handle.write(f"{job.id} {time.time()}\n")

        await manager.run(batch_size=batch, mode=QueueExecutionMode(mode))

    asyncio.run(main())


async def drained_rate(dsn: str) -> float:
    connection = await asyncpg.connect(dsn)
    row = await connection.fetchrow(
        "SELECT count(*) FILTER (WHERE status = 'successful') AS done,"
        " extract(epoch FROM max(created) FILTER (WHERE status = 'successful')"
        "                  - min(created) FILTER (WHERE status = 'picked')) AS span FROM pgqueuer_log")
    await connection.close()
    return row["done"] / float(row["span"])


async def latency(dsn: str, samples: int, starts_file: str) -> list[float]:
    connection = await asyncpg.connect(dsn)
    queries = Queries(AsyncpgDriver(connection))
    enqueued: dict[int, float] = {}
    for _ in range(samples):
        before = time.time()
        [job_id] = await queries.enqueue("noop", None)
        enqueued[job_id] = before
        await asyncio.sleep(0.01)
    await asyncio.sleep(1)
    await connection.close()
    started = {}
    with open(starts_file) as handle:
        for line in handle:
            job_id, at = line.split()
            started[int(job_id)] = float(at)
    return sorted((started[i] - enqueued[i]) * 1000 for i in enqueued if i in started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--enqueue-batch", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--latency-samples", type=int, default=1000)
    options = parser.parse_args()

    async def reset() -> None:
        connection = await asyncpg.connect(options.dsn)
        await connection.execute("TRUNCATE pgqueuer, pgqueuer_log, pgqueuer_statistics")
        await connection.close()

    asyncio.run(reset())
    enqueue_rate = asyncio.run(enqueue(options.dsn, options.jobs, options.enqueue_batch))
    consumers = [multiprocessing.Process(target=consume, args=(options.dsn, options.batch, "drain", None))
                 for _ in range(options.workers)]
    for process in consumers:
        process.start()
    for process in consumers:
        process.join()
    drain_rate = asyncio.run(drained_rate(options.dsn))

    starts_file = tempfile.mktemp()
    listener = multiprocessing.Process(target=consume, args=(options.dsn, options.batch, "continuous", starts_file))
    listener.start()
    time.sleep(2)
    latencies = asyncio.run(latency(options.dsn, options.latency_samples, starts_file))
    listener.terminate()
    listener.join()
    os.unlink(starts_file)

    def percentile(fraction: float) -> float:
        return latencies[min(len(latencies) - 1, max(0, int(fraction * len(latencies) + 0.999999) - 1))]

    print(f"pgqueuer enqueue: {enqueue_rate:,.0f} jobs/s (batches of {options.enqueue_batch})")
    print(f"pgqueuer drain:   {drain_rate:,.0f} jobs/s ({options.workers} processes, batch {options.batch})")
    print(f"pgqueuer latency: p50 {percentile(0.5):.2f} ms, p95 {percentile(0.95):.2f} ms, p99 {percentile(0.99):.2f} ms"
          f" ({len(latencies)} single jobs, median {statistics.median(latencies):.2f} ms)")
    print(json.dumps({"enqueue_per_s": round(enqueue_rate), "drain_per_s": round(drain_rate),
                      "latency_p50_ms": round(percentile(0.5), 3), "latency_p95_ms": round(percentile(0.95), 3),
                      "latency_p99_ms": round(percentile(0.99), 3)}))


if __name__ == "__main__":
    main()
