from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark: a synthetic nation (``redthread bench generate``) and the timings of
    the key pages on it (``redthread bench run``). The top layer: it may import every app,
    and none imports it."""

    name = "redthread.bench"
    label = "bench"
    verbose_name = "Benchmark"
