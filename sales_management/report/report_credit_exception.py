from odoo import api, models

from ..tools import amount_words


class ReportCreditException(models.AbstractModel):
    """Credit approval form (信用审批单) of an order's credit exception: the order, the
    customer's credit when approved, the amount approved in figures and in words, the
    reason and the approver, with signature lines."""

    _name = "report.sales_management.report_credit_exception"
    _description = "Credit Approval Form"

    @api.model
    def _get_report_values(self, docids, data=None):
        exceptions = self.env["sales.credit.exception"].browse(docids)
        # Whoever may read the approval prints it (Credit Controllers, managers, the
        # order's rep); the form then shows the customer's credit figures as approved.
        exceptions.check_access("read")
        exceptions = exceptions.sudo()
        return {
            "doc_ids": exceptions.ids,
            "doc_model": "sales.credit.exception",
            "docs": exceptions,
            "forms": {exception.id: self._prepare_form_values(exception) for exception in exceptions},
        }

    @api.model
    def _prepare_form_values(self, exception):
        """Figures of one form (extension point): the credit when approved, the amounts in words."""
        lang = exception.partner_id.lang or self.env.lang
        if exception.has_credit_snapshot:
            grade, limit, exposure = exception.credit_grade_id, exception.credit_limit, exception.credit_exposure
        else:
            # Approved before the form kept the figures: today's, said as such on the form.
            position = (
                self.env["sales.credit.status"]
                .sudo()
                ._get_exposure(exception.partner_id.ids, exception.company_id)
                .get(exception.partner_id.id, {})
            )
            grade = self.env["sales.credit.grade"].sudo().browse(position.get("grade_id") or [])
            limit, exposure = position.get("credit_limit", 0.0), position.get("total", 0.0)
        currency = exception.currency_id
        company_currency = exception.company_currency_id
        return {
            "lang": lang,
            "grade": grade,
            "credit_limit": limit,
            "credit_exposure": exposure,
            "credit_available": limit - exposure,
            "is_current_figures": not exception.has_credit_snapshot,
            "amount_words": currency._get_amount_in_words(exception.order_amount, lang),
            # Chinese capitals beside the words for an RMB amount on a form in another language.
            "amount_capitals": (
                amount_words.chinese_capitals(exception.order_amount, "CNY", decimal_places=currency.decimal_places)
                if currency.name == "CNY" and not amount_words.is_chinese_capitals_lang(lang)
                else False
            ),
            "company_amount_words": (
                company_currency._get_amount_in_words(exception.amount, lang) if company_currency != currency else False
            ),
        }
