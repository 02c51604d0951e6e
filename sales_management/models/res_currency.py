from odoo import models

from ..tools import amount_words


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def _get_amount_in_words(self, amount, lang=None):
        """``amount`` in this currency, in words, for a document in ``lang``.

        The one helper every printed document uses: Chinese capital figures in
        simplified Chinese (cn2an), Odoo's ``amount_to_text`` (num2words) in the
        language otherwise, negative amounts worded as such in both.
        """
        self.ensure_one()
        lang = lang or self.env.lang or "en_US"
        if amount_words.is_chinese_capitals_lang(lang):
            # cn2an needs no installed language: a Chinese customer gets capitals either way.
            return amount_words.chinese_capitals(amount, self.name, self.full_name, self.decimal_places)
        # Words in an installed language only (Odoo refuses a context in any other).
        currency = self.with_context(lang=lang) if self.env["res.lang"]._get_data(code=lang).code else self
        return amount_words.amount_in_words(
            amount,
            lang=lang,
            currency_code=self.name,
            currency_name=self.full_name,
            decimal_places=self.decimal_places,
            spell=currency.amount_to_text,
            minus=currency.env._("Minus %s"),
        )
