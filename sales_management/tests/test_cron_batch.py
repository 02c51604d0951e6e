from odoo.tests import TransactionCase, tagged

from .cron_common import BATCH_LOGGER


@tagged("post_install", "-at_install")
class TestCronBatchIdiom(TransactionCase):
    """The shared batching idiom on plain records: a partner is processed when it gets a reference."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create([{"name": f"Batch Partner {n}"} for n in range(10)])
        cls.Batch = cls.env["sales.management.batch"]

    def _run(self, bad=(), seen=None, job="test.batch", **kwargs):
        bad_ids = set(bad.ids if bad else [])

        def process(records, scope):
            for record in records:
                if seen is not None:
                    seen.append((scope, record.id))
                if record.id in bad_ids:
                    raise ValueError(f"broken record {record.id}")
                record.ref = f"done {scope}"

        kwargs.setdefault("domain", [("id", "in", self.partners.ids), ("ref", "=", False)])
        return self.Batch._run_batches(job, self.env["res.partner"], kwargs.pop("domain"), process, **kwargs)

    def _failures(self, logs):
        return [line for line in logs.output if "broken record" in line]

    def test_a_batch_that_only_fails_takes_the_next_one(self):
        """A call never reports done=0 while records remain: the runner would stop the job there."""
        bad = self.partners[:3]
        with self.assertLogs(BATCH_LOGGER, "ERROR") as logs:
            first = self._run(bad, batch_size=3, scope="2026-03-10")
            self.assertEqual(first, (3, 3, 4))
            runs = [first]
            while runs[-1].remaining:
                runs.append(self._run(bad, batch_size=3, scope="2026-03-10"))
        self.assertEqual(sum(run.done for run in runs), 7)
        self.assertTrue(all(run.done for run in runs), "every call of the run processed something")
        # Each bad record failed, and was logged, once in the run: the cursor moved past it.
        self.assertEqual(len(self._failures(logs)), 3)
        self.assertEqual(self.partners.filtered(lambda p: not p.ref), bad)

    def test_failed_records_retried_by_the_next_run_only(self):
        bad = self.partners[4]
        with self.assertLogs(BATCH_LOGGER, "ERROR") as logs:
            self.assertEqual(self._run(bad, batch_size=20, scope="2026-03-10"), (9, 1, 0))
            # The run is over: the next one starts from the beginning and meets it again;
            # still failing, it ends at once (done 0, nothing remaining: no loop).
            self.assertEqual(self._run(bad, batch_size=20, scope="2026-03-10"), (0, 1, 0))
        self.assertEqual(len(self._failures(logs)), 2)
        self.assertEqual(self._run(batch_size=20, scope="2026-03-10"), (1, 0, 0))
        self.assertEqual(bad.ref, "done 2026-03-10")
        self.assertEqual(self._run(batch_size=20, scope="2026-03-10"), (0, 0, 0))

    def test_a_group_isolates_its_bad_record(self):
        bad = self.partners[6]
        with self.assertLogs(BATCH_LOGGER, "ERROR") as logs:
            run = self._run(bad, batch_size=10, group_size=10, scope="2026-03-10")
        self.assertEqual(run, (9, 1, 0))
        self.assertEqual(len(self._failures(logs)), 1, "only the record itself is logged, not its groups")
        self.assertIn(f"res.partner [{bad.id}]", self._failures(logs)[0])
        self.assertEqual(self.partners.filtered(lambda p: not p.ref), bad)

    def test_period_failures_are_retried_with_their_period(self):
        domain = [("id", "in", self.partners.ids)]
        bad = self.partners[2]
        with self.assertLogs(BATCH_LOGGER, "ERROR"):
            run = self._run(bad, domain=domain, scope="2026-01-01", period=True, batch_size=20)
        self.assertEqual(run, (9, 1, 0))
        state = self.Batch.search([("job", "=", "test.batch")])
        self.assertEqual(state.pending, {"2026-01-01": [bad.id]})
        # A re-run of the period processes only what failed, once.
        seen = []
        self.assertEqual(self._run(domain=domain, scope="2026-01-01", period=True, seen=seen), (1, 0, 0))
        self.assertEqual(seen, [("2026-01-01", bad.id)])
        self.assertFalse(state.pending)
        self.assertEqual(self._run(domain=domain, scope="2026-01-01", period=True), (0, 0, 0))
        # Failing in February, it is retried with February when March runs.
        with self.assertLogs(BATCH_LOGGER, "ERROR"):
            self._run(bad, domain=domain, scope="2026-02-01", period=True, batch_size=20)
        seen = []
        self.assertEqual(
            self._run(domain=domain, scope="2026-03-01", period=True, seen=seen, batch_size=20), (11, 0, 0)
        )
        self.assertEqual(seen[0], ("2026-02-01", bad.id))
        self.assertEqual({scope for scope, _id in seen[1:]}, {"2026-03-01"})

    def test_a_period_cut_short_is_finished_first(self):
        domain = [("id", "in", self.partners.ids)]
        seen = []
        completed = []
        options = {"domain": domain, "period": True, "batch_size": 4, "seen": seen, "on_complete": completed.append}
        self.assertEqual(self._run(scope="2026-01-01", **options), (4, 0, 6))
        # The next period starts: January's last six come first, then February in the same call.
        runs = [self._run(scope="2026-02-01", **options)]
        while runs[-1].remaining:
            runs.append(self._run(scope="2026-02-01", **options))
        january = [pid for scope, pid in seen if scope == "2026-01-01"]
        february = [pid for scope, pid in seen if scope == "2026-02-01"]
        self.assertEqual(january, self.partners.ids)
        self.assertEqual(february, self.partners.ids)
        self.assertEqual(completed, ["2026-01-01", "2026-02-01"], "each period ends once")
        self.assertTrue(all(run.done for run in runs))

    def test_records_added_when_the_scan_ends_are_done_by_the_same_run(self):
        """``on_start`` and ``on_complete`` (e.g. customers invoiced during the run get a status)."""
        todo = list(self.partners[:3].ids)
        late = self.partners[3:5]
        hooks = []

        def on_start(scope):
            hooks.append(("start", scope))

        def on_complete(scope):
            hooks.append(("complete", scope))
            if late[0].id not in todo:
                todo.extend(late.ids)
                return True
            return False

        def domain(_scope):
            return [("id", "in", todo), ("ref", "=", False)]

        options = {"domain": domain, "scope": "2026-03-10", "on_start": on_start, "on_complete": on_complete}
        self.assertEqual(self._run(batch_size=2, **options), (2, 0, 1))
        self.assertEqual(self._run(batch_size=2, **options), (3, 0, 0))
        self.assertEqual(self.partners.filtered("ref"), self.partners[:5])
        self.assertEqual(hooks, [("start", "2026-03-10"), ("complete", "2026-03-10"), ("complete", "2026-03-10")])
