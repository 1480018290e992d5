"""The settings page's time zone list: sorted canonical location names from the pinned tzdata."""

from zoneinfo import ZoneInfo

from progress.forms import LearnerSettingsForm, time_zone_names

ALIASES = ["US/Eastern", "US/Pacific", "GB", "Asia/Calcutta", "Europe/Kiev", "America/Buenos_Aires", "Japan", "Zulu"]
NOT_PLACES = ["localtime", "posixrules", "Factory", "EST5EDT", "GMT", "Etc/UTC", "Etc/GMT+5", "UCT", "Universal"]


def test_the_list_is_utc_then_sorted_canonical_locations():
    names = time_zone_names()

    assert names[0] == "UTC"
    assert names[1:] == sorted(names[1:])
    assert len(set(names)) == len(names)
    assert {"Europe/London", "America/New_York", "Asia/Kolkata", "Europe/Kyiv", "Europe/Oslo"} <= set(names)
    assert not set(ALIASES + NOT_PLACES) & set(names)
    assert all(name == "UTC" or ("/" in name and not name.startswith("Etc/")) for name in names)
    for name in names:
        ZoneInfo(name)  # each one is a zone Python knows


def test_the_settings_page_groups_the_zones_by_region(learner_client, learner):
    page = learner_client.get("/settings/").text

    assert '<optgroup label="Europe">' in page
    assert '<option value="America/New_York">New York</option>' in page
    assert '<option value="UTC" selected>UTC</option>' in page
    assert 'value="US/Eastern"' not in page and 'value="localtime"' not in page
    assert "data-browser-zone" in page  # static/js/site.js offers the browser's zone


def test_an_older_setting_outside_the_list_stays_selected_and_valid(learner):
    learner.time_zone = "US/Eastern"

    form = LearnerSettingsForm({"time_zone": "US/Eastern", "daily_new_cards": "5"}, instance=learner)

    assert form.is_valid(), form.errors
    assert 'value="US/Eastern" selected' in str(form["time_zone"])
    assert "US/Eastern" not in str(LearnerSettingsForm(instance=type(learner)(time_zone="UTC"))["time_zone"])
