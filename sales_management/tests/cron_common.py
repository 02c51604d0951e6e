from contextlib import contextmanager
from unittest.mock import patch

# Every job logs the records that fail through the shared batching idiom.
BATCH_LOGGER = "odoo.addons.sales_management.models.sales_management_batch"


class CronRunnerMixin:
    """Run scheduled actions through Odoo 18's own cron runner, inside the test's transaction.

    ``ir.cron._process_job`` is what a cron worker calls: it runs the server action
    again while the job reports records done and remaining (at most 10 times), commits
    after each call and reschedules the job. In test mode its cursors are test cursors,
    so its commits stay inside the test's transaction (as in Odoo's own cron tests).
    """

    def _run_cron(self, xmlid, code=None):
        """Run the job ``xmlid`` as a cron worker does; returns [(done, remaining)] of each call."""
        cron = self.env.ref(xmlid)
        if code:
            cron.code = code
        Progress = self.env["ir.cron.progress"]
        last = Progress.search([("cron_id", "=", cron.id)], order="id desc", limit=1).id or 0
        self.env.flush_all()
        job = {**cron.read(load=None)[0], "done": 0, "remaining": 0, "timed_out_counter": 0}
        self.registry.enter_test_mode(self.cr)
        try:
            self.registry["ir.cron"]._process_job(self.registry.db_name, self.registry.cursor(), job)
        finally:
            self.registry.leave_test_mode()
        self.env.invalidate_all()
        return [
            (progress.done, progress.remaining)
            for progress in Progress.search([("cron_id", "=", cron.id), ("id", ">", last)], order="id")
        ]

    @contextmanager
    def _failing(self, model, method, bad, message="broken record", pick=None):
        """``method`` of ``model`` raises when it meets one of the ``bad`` records.

        ``pick(records, *args, **kwargs)`` gives the records a call works on, when they
        are not the recordset it is called on (e.g. the users given to an ``@api.model``).
        """
        cls = type(self.env[model])
        original = getattr(cls, method)
        bad_ids = set(bad.ids)

        def failing(records, *args, **kwargs):
            met = bad_ids & set((pick(records, *args, **kwargs) if pick else records).ids)
            if met:
                raise ValueError(f"{message} {sorted(met)}")
            return original(records, *args, **kwargs)

        with patch.object(cls, method, failing):
            yield

    def _assert_failure_logged(self, logs, record, message="broken record"):
        """One ERROR line names ``record`` (model and id) and the error."""
        name = f"{record._name} [{record.id}]"
        lines = [line for line in logs.output if name in line and message in line]
        self.assertEqual(len(lines), 1, f"one failure line for {record}: {logs.output}")
