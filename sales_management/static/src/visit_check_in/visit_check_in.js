import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

import { Component, useState } from "@odoo/owl";

/**
 * "Check In Here": asks the browser for its position, then checks the visit
 * in with it (sales.visit.action_check_in). Without a position (refused,
 * unavailable, timeout) the visit is checked in all the same, without one.
 */
export class VisitCheckIn extends Component {
    static template = "sales_management.VisitCheckIn";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({ busy: false });
    }

    getPosition() {
        return new Promise((resolve) => {
            if (!navigator.geolocation) {
                resolve(null);
                return;
            }
            navigator.geolocation.getCurrentPosition(
                (position) => resolve(position.coords),
                () => resolve(null),
                { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
            );
        });
    }

    async onClick() {
        const record = this.props.record;
        this.state.busy = true;
        try {
            if (!(await record.save())) {
                return;
            }
            const coords = await this.getPosition();
            const kwargs = coords ? { latitude: coords.latitude, longitude: coords.longitude } : {};
            if (!coords) {
                this.notification.add(_t("Position unavailable: checked in without it."), {
                    type: "warning",
                });
            }
            await this.orm.call(record.resModel, "action_check_in", [[record.resId]], kwargs);
            await record.load();
        } finally {
            this.state.busy = false;
        }
    }
}

registry.category("view_widgets").add("sales_visit_check_in", { component: VisitCheckIn });
