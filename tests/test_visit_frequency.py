from addon_index import ADDON, load_plain_module

visit_frequency = load_plain_module(ADDON / "tools" / "visit_frequency.py")


def test_every_frequency_has_its_days():
    keys = [key for key, _label in visit_frequency.VISIT_FREQUENCIES]
    assert keys == list(visit_frequency.FREQUENCY_DAYS)
    days = [visit_frequency.FREQUENCY_DAYS[k] for k in keys]
    assert days == sorted(days)
