import datetime

from odoo import Command, api, fields, models


class SalesManagementDemo(models.AbstractModel):
    _name = "sales.management.demo.visit"
    _inherit = "sales.management.demo"
    _description = "Sales Management Demo Data: Visits"

    @api.model
    def _load_visit_demo(self):
        """Demo: plans for the demo reps around today, visits that follow each other up
        (check-ins with positions, outcomes, calls and video calls among them), and the
        follow-up stories: a rejected prospect with his second follow-up due, one closed
        as lost, one left without a next step, an after-delivery visit."""
        Visit = self.env["sales.visit"]
        today = fields.Date.context_today(self)
        reps = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in ("base.user_admin", "base.user_demo")]
        partners = [self.env.ref(f"base.res_partner_{n}", raise_if_not_found=False) for n in (1, 2, 3, 4, 10, 12, 18)]
        reps = [rep for rep in reps if rep]
        partners = [partner for partner in partners if partner]
        if not reps or not partners:
            return
        for index, partner in enumerate(partners):
            if not partner.partner_latitude and not partner.partner_longitude:
                # Around the East Bay, where the demo customers are.
                partner.write({"partner_latitude": 37.70 + 0.03 * index, "partner_longitude": -121.90 + 0.04 * index})
        Plan = self.env["sales.visit.plan"]
        plans = {}

        def plan_for(rep, day):
            month = day.replace(day=1)
            if (rep, month) not in plans:
                plans[rep, month] = Plan.search(
                    [("user_id", "=", rep.id), ("date_from", "<=", day), ("date_to", ">=", day)], limit=1
                ) or Plan.create({"user_id": rep.id, "date_from": month, "date_to": fields.Date.end_of(day, "month")})
            return plans[rep, month]

        for rep_index, rep in enumerate(reps):
            customers = partners[rep_index::2]
            for customer in customers:
                customer.write({"visit_user_id": rep.id, "visit_frequency": "weekly" if rep_index else "biweekly"})
            # One customer per working day in turn: each visit's follow-up is the customer's next turn.
            slots = [
                today + datetime.timedelta(days=offset)
                for offset in range(-20, 11)
                if (today + datetime.timedelta(days=offset)).weekday() < 5
            ]
            turns = [(day, customers[index % len(customers)]) for index, day in enumerate(slots)]
            for index, (day, customer) in enumerate(turns):
                plan_for(rep, day)
                next_turn = next((d for d, c in turns[index + 1 :] if c == customer), None)
                visit = Visit.search(
                    [("user_id", "=", rep.id), ("partner_id", "=", customer.id), ("date", "=", day)], limit=1
                ) or Visit.create(self._prepare_demo_visit_values(rep, customer, day, index))
                if day >= today or visit.state != "planned":
                    continue
                if index % 5 == 0:
                    visit.write({"reason": "Customer closed for inventory.", "state": "missed"})
                    continue
                self._demo_check_in_out(visit, index, next_turn)
            unplanned = Visit.create(
                {
                    "user_id": rep.id,
                    "partner_id": customers[0].id,
                    "date": today - datetime.timedelta(days=1),
                    "is_unplanned": True,
                    "purpose": "collection",
                    "goal": "Collect the cheque for last month's invoices.",
                }
            )
            unplanned.write({"state": "done", "outcome": "Cheque collected.", "result": "no_decision"})
        self._load_demo_prospects(reps[-1], plan_for)
        self._load_demo_after_delivery(reps[0])
        for plan in Plan.browse({plan.id for plan in plans.values()}):
            if plan.date_to < today and plan.visit_ids:
                for state in ("submitted", "approved", "closed"):
                    plan.sudo().write({"state": state})
            elif plan.visit_ids and plan.date_from <= today:
                plan.action_submit()

    @api.model
    def _prepare_demo_visit_values(self, rep, customer, day, index):
        goals = {
            "development": "Present the new catalogue to the purchasing manager.",
            "routine": "Check stock levels and take the monthly order.",
            "collection": "Collect the overdue invoices and agree on a payment date.",
            "complaint": "Inspect the returned panels with the workshop foreman.",
            "survey": "Ask which competitors' products are on the shelves, and at what price.",
            "support": "Show the installers how to use the new edge-banding glue.",
            "promotion": "Set up the spring promotion display and train the sales staff.",
        }
        purpose = list(goals)[index % len(goals)]
        return {
            "user_id": rep.id,
            "partner_id": customer.id,
            "date": day,
            "purpose": purpose,
            "mode": "video" if index % 7 == 3 else "in_person",
            "goal": goals[purpose],
        }

    @api.model
    def _demo_check_in_out(self, visit, index, next_turn):
        """Done with a check-in near the customer, an outcome and its follow-up on the next turn."""
        outcomes = [
            ("interested", "Interested in the oak range; wants samples.", "Bring oak samples."),
            ("quotation", "Asked for a quotation for 200 panels.", "Send the quotation by Friday."),
            ("no_decision", "Budget not approved yet.", "Call back after their board meeting."),
            ("won", "Order confirmed on the spot.", "Check the delivery date with logistics."),
            ("complaint", "Two pallets arrived damaged.", "Come back with the after-sales engineer."),
        ]
        result, outcome, next_step = outcomes[index % len(outcomes)]
        start = datetime.datetime.combine(visit.date, datetime.time(9 + (index % 4) * 2, 10 * (index % 3)))
        partner = visit.partner_id
        vals = {
            "state": "done",
            "check_in": start,
            "check_out": start + datetime.timedelta(minutes=35 + 10 * (index % 4)),
            "result": result,
            "outcome": outcome,
            "next_step": next_step,
            "next_visit_date": next_turn,
            "feedback": "Satisfied with delivery times, asks for better prices.",
            "competitor_info": "A competitor offers 3% discount on volume.",
        }
        if visit.mode == "in_person" and partner.partner_latitude:
            vals.update(
                check_in_latitude=partner.partner_latitude + 0.0004,
                check_in_longitude=partner.partner_longitude - 0.0003,
            )
        if visit.mode != "in_person":
            vals.update(check_in=False, check_out=False)
        visit.write(vals)

    @api.model
    def _load_demo_prospects(self, rep, plan_for):
        """Prospects of one rep: rejected with the second follow-up due, lost, no next step,
        in follow-up."""
        Visit = self.env["sales.visit"]
        company = rep.company_id
        stories = [
            ("Blue Harbor Kitchens", 25, "rejected", "Happy with their current supplier."),
            ("Sunrise Office Supply", 20, "rejected", "Not interested, buys on a three-year contract."),
            ("Maple Leaf Interiors", 10, "no_decision", "Will think about it."),
            ("Golden Gate Studio", 3, "interested", "Wants a showroom visit for his architects."),
        ]
        prospects = {}
        for name, days_ago, result, outcome in stories:
            prospect = self.env["res.partner"].create(
                {"name": name, "is_company": True, "visit_user_id": rep.id, "company_id": company.id}
            )
            prospects[name] = prospect
            day = self._demo_weekday_before(days_ago)
            plan_for(rep, day)
            visit = Visit.create(
                {
                    "user_id": rep.id,
                    "partner_id": prospect.id,
                    "date": day,
                    "purpose": "development",
                    "goal": "First meeting: present the company and the catalogue.",
                }
            )
            start = datetime.datetime.combine(day, datetime.time(14))
            visit.write(
                {
                    "state": "done",
                    "check_in": start,
                    "check_out": start + datetime.timedelta(minutes=30),
                    "result": result,
                    "outcome": outcome,
                }
            )
        manager = self.env.ref("base.user_admin")
        prospects["Sunrise Office Supply"].with_user(manager)._visit_close_lost(
            "Buys from a competitor under a three-year contract."
        )
        # The call that should have followed Maple Leaf up was missed: no next step left.
        missed = Visit.search([("partner_id", "=", prospects["Maple Leaf Interiors"].id), ("state", "=", "planned")])
        missed.write({"state": "missed", "reason": "Line busy, no call back."})

    @api.model
    def _load_demo_after_delivery(self, rep):
        """An after-delivery visit done (satisfied) and one planned, for the orders of a
        customer chosen in Settings."""
        Visit = self.env["sales.visit"]
        today = fields.Date.context_today(self)
        orders = [self.env.ref(f"sale.sale_order_{n}", raise_if_not_found=False) for n in (4, 7)]
        orders = [order for order in orders if order and order.state == "sale"]
        if not orders:
            return
        customer = orders[0].partner_id.commercial_partner_id
        rep.company_id.visit_after_delivery_partner_ids = [Command.link(customer.id)]
        days = [self._demo_weekday_before(3), today + datetime.timedelta(days=2)]
        for order, day in zip(orders, days, strict=False):
            vals = Visit._prepare_after_delivery_visit_values(
                order, rep, day, self.env["sales.visit.plan"], order.company_id
            )
            del vals["plan_id"]  # joins the rep's plan of that day, if any
            visit = Visit.create(vals)
            if day < today:
                start = datetime.datetime.combine(day, datetime.time(10))
                visit.write(
                    {
                        "state": "done",
                        "check_in": start,
                        "check_out": start + datetime.timedelta(minutes=40),
                        "feedback": "The desks are sturdy; the assembly instructions could be clearer.",
                        "satisfaction": "4",
                        "outcome": "Customer uses the desks daily in the new office.",
                        "check_in_latitude": customer.partner_latitude + 0.0002 if customer.partner_latitude else 0.0,
                        "check_in_longitude": customer.partner_longitude if customer.partner_latitude else 0.0,
                    }
                )
