from .models import sales_credit_sql


def uninstall_hook(env):
    """Drop what the credit capability added to the database outside its tables: functions, trigger, indexes."""
    sales_credit_sql.drop_all(env.cr)
