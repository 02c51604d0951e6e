import logging
from collections import namedtuple

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# What one call of a job did: records processed, records that failed (logged, left for
# the next run), records of the period still to do (what the job told the cron runner).
BatchRun = namedtuple("BatchRun", ["done", "failed", "remaining"])
# A job as _run_batches was given it (see its parameters); ``domain`` is a callable of the period.
BatchSpec = namedtuple(
    "BatchSpec",
    ["job", "model", "domain", "process", "batch_size", "group_size", "period", "on_start", "on_complete"],
)


class SalesManagementBatch(models.Model):
    """Where each scheduled job of the addon stands, and the batching idiom they share.

    One row per job (its XML id): the period its run works on, the last record the run
    tried, the records that failed. Every job runs through ``_run_batches``:

    - it searches the records still to do beyond the run's cursor, ``batch_size`` at a
      time, in id order, and hands them to ``process`` in groups of ``group_size``, each
      group in its own savepoint. A group that raises is rolled back and tried again in
      halves, down to single records: the record that raises is logged (job, model, id,
      error) and counted; the others are kept; the batch and the job go on.
    - the cursor moves past the records tried, processed or failed, so the cron runner
      never meets a failed record twice in one run; ``_notify_progress`` gets
      ``done`` = records processed and ``remaining`` = records beyond the cursor. A call
      whose batch only failed takes the next batch at once: it never tells the runner
      done=0 while records remain (the runner would take it for the end of the job).
    - the retry happens on the next run. Most jobs mark a record processed by writing
      its outcome (an activity, a flag, a date), so their ``domain`` leaves processed
      records out and still holds the failed ones: the next run (next period, or a run
      started after this one ended) scans again from the start and meets them.
      Period jobs (``period=True``: the weekly proposals, the monthly snapshot), whose
      records carry no such mark, scan each period once; their failed records are kept
      with their period and retried, with that period, by every later run until they
      pass. A period whose scan was cut short is finished before the next one starts.
    """

    _name = "sales.management.batch"
    _description = "Scheduled Job Batches"
    _order = "job"
    _rec_name = "job"

    job = fields.Char(required=True, readonly=True, help="XML id of the scheduled action.")
    scope = fields.Char(
        "Run Period", readonly=True, help="Period of the current or last run: a day, a week or a month."
    )
    cursor = fields.Integer(readonly=True, help="Last record tried by the run of the period.")
    is_complete = fields.Boolean("Period Done", readonly=True, help="Every record of the period has been tried.")
    pending = fields.Json(
        "Records to Retry", readonly=True, help="Failed records of period jobs, by period: retried by the next run."
    )
    done_count = fields.Integer("Processed", readonly=True, help="Records processed in the period.")
    failed_count = fields.Integer("Failed", readonly=True, help="Record failures logged in the period.")

    _sql_constraints = [
        ("job_uniq", "unique(job)", "A scheduled job has one batch state."),
    ]

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _run_batches(
        self,
        job,
        model,
        domain,
        process,
        *,
        scope=None,
        batch_size=100,
        group_size=1,
        period=False,
        on_start=None,
        on_complete=None,
    ):
        """Run one call of a scheduled job in batches; returns a ``BatchRun``.

        :param str job: the job's key, by convention the XML id of its ``ir.cron``
        :param model: the model searched, with the environment the job works in (sudo…)
        :param domain: the records still to do, or a callable ``domain(scope)``
        :param process: ``process(records, scope)`` does the work of a group and writes
            its outcome, mark included; it raises to fail the group, or returns the
            records it could not process itself (already logged, e.g. by
            ``_run_isolated``) and None or an empty recordset when all passed
        :param str scope: the period worked on (default: today), e.g. the ISO date of the
            week or month start; a new period starts a new scan
        :param int batch_size: records searched per call
        :param int group_size: records per savepoint (set-based work per group)
        :param bool period: scan each period once and keep its failed records for the
            next runs (for records that carry no mark of being processed)
        :param on_start: ``on_start(scope)``, run when a scan starts (a new period, or a
            new run of a job with marks), e.g. to create the records it must meet
        :param on_complete: ``on_complete(scope)``, run when the scan ends; when it returns
            True (it added records to do), the scan goes on with them instead of ending
        """
        target = scope or fields.Date.to_string(fields.Date.context_today(self))
        state = self._lock_state(job)
        if state is None:
            _logger.info("%s: another run of the job is under way; this call stops.", job)
            self.env["ir.cron"].sudo()._notify_progress(done=0, remaining=0)
            return BatchRun(0, 0, 0)
        spec = BatchSpec(
            job,
            model,
            domain if callable(domain) else lambda _scope: domain,
            process,
            batch_size,
            group_size,
            period,
            on_start,
            on_complete,
        )
        done = failed = 0
        scanned = set()
        while True:
            # A period job finishes the period under way before it starts the next one.
            old = period and state.scope and state.scope != target and not state.is_complete
            work = state.scope if old else target
            run = self._run_period(state, spec, work, scanned)
            scanned.add(work)
            done += run.done
            failed += run.failed
            if work == target or run.remaining:
                break
        if failed:
            _logger.info(
                "%s (%s): %s processed, %s failed and left for the next run, %s remaining.",
                job,
                work,
                done,
                failed,
                run.remaining,
            )
        self.env["ir.cron"].sudo()._notify_progress(done=done, remaining=run.remaining)
        return BatchRun(done, failed, run.remaining)

    @api.model
    def _run_isolated(self, job, records, process, *args, label=""):
        """Run ``process(records, *args)`` in a savepoint; on failure retry halves, down to one record.

        Returns the records that failed, each logged with the job, its model, id, ``label``
        (what of the record was processed, e.g. a month) and the error; the work of the
        others is kept. ``process`` may also return records it could not process itself
        (already logged).
        """
        try:
            with self.env.cr.savepoint():
                failed = process(records, *args)
        except Exception as error:
            if len(records) <= 1:
                _logger.exception(
                    "%s: %s %s%s failed and is left for the next run: %s",
                    job,
                    records._name,
                    records.ids,
                    f" ({label})" if label else "",
                    error,
                )
                return records
            half = (len(records) + 1) // 2
            return self._run_isolated(job, records[:half], process, *args, label=label) | self._run_isolated(
                job, records[half:], process, *args, label=label
            )
        return failed or records.browse()

    @api.model
    def _lock_state(self, job):
        """The job's row, created if missing and locked; None when another run holds it."""
        cr = self.env.cr
        self.flush_model()
        cr.execute(SQL("SELECT id FROM sales_management_batch WHERE job = %s", job))
        if not cr.rowcount:
            cr.execute(
                SQL(
                    """INSERT INTO sales_management_batch (job, create_uid, write_uid, create_date, write_date)
                       VALUES (%s, %s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
                       ON CONFLICT (job) DO NOTHING""",
                    job,
                    self.env.uid,
                    self.env.uid,
                )
            )
        # Another call holding the row (a manual run beside the worker's) makes this one skip it.
        cr.execute(SQL("SELECT id FROM sales_management_batch WHERE job = %s FOR NO KEY UPDATE SKIP LOCKED", job))
        row = cr.fetchone()
        return self.sudo().browse(row[0]) if row else None

    @api.model
    def _run_period(self, state, spec, work, scanned):
        """One call's work on the period ``work``: failures of earlier runs, then the scan.

        ``scanned``: the periods this call already scanned, whose failures wait for the next run.
        """
        done = failed = 0
        if spec.period and (state.scope != work or state.is_complete):
            done, failed = self._retry_pending(state, spec, scanned)
        if state.scope != work or (state.is_complete and not spec.period):
            state.write({"scope": work, "cursor": 0, "is_complete": False, "done_count": 0, "failed_count": 0})
            self._call_hook(spec, "on_start", work)
        if state.is_complete:
            return BatchRun(done, failed, 0)
        while True:
            run_done, run_failed, remaining = self._scan(state, spec, spec.domain(work))
            done += run_done
            failed += len(run_failed)
            if spec.period and run_failed:
                pending = dict(state.pending or {})
                pending[work] = sorted(set(pending.get(work, [])) | set(run_failed.ids))
                state.pending = pending
            state.write(
                {"done_count": state.done_count + run_done, "failed_count": state.failed_count + len(run_failed)}
            )
            # The end of the scan may add records to do (on_complete returns True): they are
            # beyond the cursor, this call takes them at once.
            if remaining or not self._call_hook(spec, "on_complete", work):
                break
            if not spec.model.search_count([*spec.domain(work), ("id", ">", state.cursor)], limit=1):
                break
        state.is_complete = not remaining
        return BatchRun(done, failed, remaining)

    @api.model
    def _scan(self, state, spec, domain):
        """Take batches beyond the cursor until a record passed or none is left.

        Returns (processed count, failed records, records left beyond the cursor).
        """
        done, failed = 0, spec.model.browse()
        while True:
            records = spec.model.search([*domain, ("id", ">", state.cursor)], order="id", limit=spec.batch_size)
            if not records:
                return done, failed, 0
            batch_failed = self._run_groups(spec, records, state.scope)
            done += len(records) - len(batch_failed)
            failed |= batch_failed
            state.cursor = records[-1].id
            remaining = (
                spec.model.search_count([*domain, ("id", ">", state.cursor)]) if len(records) == spec.batch_size else 0
            )
            if done or not remaining:
                return done, failed, remaining

    @api.model
    def _retry_pending(self, state, spec, scanned):
        """Retry the failed records of earlier runs, each with its period; returns (processed, failed)."""
        pending, done, failed = {}, 0, 0
        for scope, ids in sorted((state.pending or {}).items()):
            if scope in scanned:
                pending[scope] = ids
                continue
            # Records gone or out of the job's domain since are dropped.
            records = spec.model.search([*spec.domain(scope), ("id", "in", ids)], order="id")
            still = self._run_groups(spec, records, scope)
            done += len(records) - len(still)
            failed += len(still)
            if still:
                pending[scope] = still.ids
        state.pending = pending or False
        return done, failed

    @api.model
    def _run_groups(self, spec, records, scope):
        """Process records in groups of ``group_size``, each isolated; returns the failed ones."""
        failed = records.browse()
        for start in range(0, len(records), spec.group_size):
            failed |= self._run_isolated(spec.job, records[start : start + spec.group_size], spec.process, scope)
        return failed

    @api.model
    def _call_hook(self, spec, hook, scope):
        """Run the job's ``on_start`` or ``on_complete`` in its own savepoint; a failure is logged, not raised."""
        func = getattr(spec, hook)
        if not func:
            return None
        try:
            with self.env.cr.savepoint():
                return func(scope)
        except Exception as error:
            _logger.exception("%s: %s of period %s failed: %s", spec.job, hook, scope, error)
            return None
