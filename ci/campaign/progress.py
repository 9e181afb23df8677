"""The campaign's progress while it fuzzes: what each running fuzzer did so
far (struct Stat, filled by the engine modules from libFuzzer's status
lines or AFL++'s fuzzer_stats), shown as one live line per fuzzer on a
terminal, redrawn in place, or as plain lines every PLAIN_EVERY seconds
when the output is a file or a pipe (CI logs).

Each Stat also keeps its samples over time (Stat.samples), which become
the target's stats.tsv and its plots.
"""
import sys
import time

PLAIN_EVERY = 10.0


class Stat:
    """One fuzzer's counters. coverage is libFuzzer's cov (ft beside it)
    or AFL++'s edges_found (of total_edges)."""

    def __init__(self, target, instance, budget):
        self.target, self.instance, self.budget = target, instance, budget
        self.start = time.monotonic()
        self.end = None
        self.execs = self.rate = self.cov = self.ft = self.corpus = 0
        self.edges_total = 0
        self.crashes = 0
        self.stability = ""
        self.samples = []          # (seconds, execs, exec/s, cov, ft, corpus, crashes)

    @property
    def name(self):
        return self.target if not self.instance else "%s/%s" % (self.target, self.instance)

    def elapsed(self):
        return (self.end or time.monotonic()) - self.start

    def sample(self):
        s = (round(self.elapsed(), 1), self.execs, self.rate, self.cov, self.ft,
             self.corpus, self.crashes)
        if not self.samples or self.samples[-1][1:] != s[1:]:
            self.samples.append(s)

    def line(self):
        left = max(0, self.budget - self.elapsed()) if self.end is None else 0
        cov = ("cov %d ft %d" % (self.cov, self.ft) if not self.edges_total
               else "edges %d/%d" % (self.cov, self.edges_total))
        state = "%3ds left" % left if self.end is None else "done     "
        return "%-22s %s  %8d execs %6d exec/s  %-22s corpus %5d  findings %d" % (
            self.name, state, self.execs, self.rate, cov, self.corpus, self.crashes)


class Display:
    """Draws the running Stats: in place on a terminal, else periodically."""

    def __init__(self, stream=sys.stdout):
        self.stream = stream
        self.tty = stream.isatty()
        self.drawn = 0
        self.last_plain = 0.0

    def update(self, stats, final=False):
        now = time.monotonic()
        if self.tty:
            if self.drawn:
                self.stream.write("\x1b[%dA" % self.drawn)
            for s in stats:
                self.stream.write("\r\x1b[2K%s\n" % s.line())
            self.drawn = len(stats)
            if final:
                self.drawn = 0
        elif final or now - self.last_plain >= PLAIN_EVERY:
            for s in stats:
                self.stream.write("  %s\n" % s.line())
            self.last_plain = now
        self.stream.flush()

    def start(self):
        self.drawn = 0
        self.last_plain = time.monotonic()
