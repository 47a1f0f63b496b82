// Business calendars: the shipped China calendars (National Day 2026 with its
// make-up Saturday, Spring Festival 2026), the definitions of business days
// and hours at the edges, quiet hours, a DST zone, and the exact messages for
// broken calendar files.
#define BOOST_TEST_MODULE calendar
#include <boost/test/unit_test.hpp>

#include <string>

#include "caseflow/calendar.hpp"

using namespace caseflow;
using namespace std::chrono_literals;

namespace {

const std::string root = CASEFLOW_SOURCE_DIR;
const std::string fixtures = root + "/tests/fixtures/calendars/";

const calendar& office() {
    static const calendar c = calendar::load(root + "/rules/calendars/office.yaml");
    return c;
}
const calendar& studio() {
    static const calendar c = calendar::load(root + "/rules/calendars/studio.yaml");
    return c;
}
const calendar& us_east() {
    static const calendar c = calendar::load(root + "/rules/calendars/us_east.yaml");
    return c;
}

instant at(const char* text) {
    auto t = parse_instant(text);
    BOOST_REQUIRE_MESSAGE(t, "bad instant in test: " << text);
    return *t;
}
date_t day(const char* text) {
    auto d = parse_date(text);
    BOOST_REQUIRE_MESSAGE(d, "bad date in test: " << text);
    return *d;
}
// The result as the CLI prints it: ISO 8601 in the calendar zone's offset.
std::string local(const calendar& c, instant t) { return format_instant(t, c.utc_offset_minutes(t)); }

std::string add(const calendar& c, const char* from, const char* dur) {
    auto d = parse_business_duration(dur);
    BOOST_REQUIRE_MESSAGE(d, "bad duration in test: " << dur);
    return local(c, c.add(at(from), *d));
}

std::string ranges(const calendar& c, const char* d) {
    std::string s;
    for (const auto& r : c.working_ranges(day(d))) s += (s.empty() ? "" : " ") + r.str();
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(business_duration_parsing)

BOOST_AUTO_TEST_CASE(business_units) {
    BOOST_TEST((parse_business_duration("3 business_days") == business_duration::days(3)));
    BOOST_TEST((parse_business_duration("24 business_hours") == business_duration::hours(24)));
    BOOST_TEST((parse_business_duration("90 business_minutes") == business_duration::minutes(90)));
    BOOST_TEST((parse_business_duration("1 business_day") == business_duration::days(1)));
    BOOST_TEST((parse_business_duration("2business_hours") == business_duration::hours(2)));
    BOOST_TEST((parse_business_duration("  5 business_days ") == business_duration::days(5)));
}

BOOST_AUTO_TEST_CASE(plain_durations_delegate_to_parse_duration) {
    BOOST_TEST((parse_business_duration("P3D") == business_duration::calendar(72h)));
    BOOST_TEST((parse_business_duration("PT4H30M") == business_duration::calendar(270min)));
    BOOST_TEST((parse_business_duration("3d") == business_duration::calendar(72h)));
    BOOST_TEST((parse_business_duration("90m") == business_duration::calendar(90min)));
}

BOOST_AUTO_TEST_CASE(rejects_garbage) {
    BOOST_TEST(!parse_business_duration(""));
    BOOST_TEST(!parse_business_duration("3 business_weeks"));
    BOOST_TEST(!parse_business_duration("business_days"));
    BOOST_TEST(!parse_business_duration("-3 business_days"));
    BOOST_TEST(!parse_business_duration("3 days"));
}

BOOST_AUTO_TEST_CASE(str_round_trips) {
    BOOST_TEST(business_duration::days(3).str() == "3 business_days");
    BOOST_TEST(business_duration::minutes(90).str() == "90 business_minutes");
    BOOST_TEST(business_duration::calendar(270min).str() == "4h30m");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(china_2026)

BOOST_AUTO_TEST_CASE(office_basics) {
    BOOST_TEST(office().name() == "office");
    BOOST_TEST(office().zone_name() == "Asia/Shanghai");
    BOOST_TEST((office().years() == std::vector<int>{2025, 2026}));
    BOOST_TEST(ranges(office(), "2026-10-14") == "08:15-17:15");
    BOOST_TEST(office().utc_offset_minutes(at("2026-10-14T00:00:00Z")) == 480);
}

// The required anchor: 1-7 Oct are holidays, Thu 8 and Fri 9 Oct are working
// days, Sat 10 Oct is a make-up working day.
BOOST_AUTO_TEST_CASE(national_day_anchor) {
    BOOST_TEST(add(office(), "2026-09-30T16:00:00+08:00", "3 business_days") == "2026-10-10T16:00:00+08:00");
    BOOST_TEST(add(office(), "2026-09-30T16:00:00+08:00", "1 business_days") == "2026-10-08T16:00:00+08:00");
    BOOST_TEST(add(office(), "2026-09-30T16:00:00+08:00", "2 business_days") == "2026-10-09T16:00:00+08:00");
    BOOST_TEST(add(office(), "2026-09-30T16:00:00+08:00", "4 business_days") == "2026-10-12T16:00:00+08:00");
}

BOOST_AUTO_TEST_CASE(national_day_days) {
    for (const char* d : {"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06",
                          "2026-10-07"}) {
        BOOST_TEST_CONTEXT(d) {
            BOOST_TEST(!office().is_working_day(day(d)));
            auto info = office().describe(day(d));
            BOOST_TEST((info.kind == day_kind::holiday));
            BOOST_TEST(info.name == "National Day");
            BOOST_TEST(office().working_ranges(day(d)).empty());
        }
    }
    auto sat = office().describe(day("2026-10-10"));
    BOOST_TEST((sat.kind == day_kind::makeup));
    BOOST_TEST(sat.working);
    BOOST_TEST(sat.name == "National Day");
    BOOST_TEST(ranges(office(), "2026-10-10") == "08:15-17:15");
    BOOST_TEST(office().is_working_day(day("2026-10-08")));
    BOOST_TEST((office().describe(day("2026-10-08")).kind == day_kind::regular));
    BOOST_TEST((office().describe(day("2026-10-11")).kind == day_kind::weekly_off));
    BOOST_TEST(office().is_working_day(day("2026-09-20")));  // make-up Sunday
    BOOST_TEST(!office().is_working_day(day("2026-09-25")));  // Mid-autumn Festival
}

BOOST_AUTO_TEST_CASE(national_day_business_hours) {
    // 1h15m on Wed 30 Sep, then nothing until Thu 8 Oct 08:15.
    BOOST_TEST(add(office(), "2026-09-30T16:00:00+08:00", "2 business_hours") == "2026-10-08T09:00:00+08:00");
    BOOST_TEST(add(office(), "2026-09-30T16:00:00+08:00", "75 business_minutes") == "2026-09-30T17:15:00+08:00");
    // 3 business days of working time = 27 h: Thu, Fri and the make-up Saturday.
    BOOST_TEST(add(office(), "2026-10-08T08:15:00+08:00", "27 business_hours") == "2026-10-10T17:15:00+08:00");
    BOOST_TEST((office().working_time_between(at("2026-09-30T00:00:00+08:00"), at("2026-10-12T00:00:00+08:00")) ==
                duration{4 * 9h}));
}

BOOST_AUTO_TEST_CASE(spring_festival) {
    // 15-23 Feb holidays; Sat 14 Feb and Sat 28 Feb are make-up working days.
    BOOST_TEST(office().is_working_day(day("2026-02-14")));
    for (int d = 15; d <= 23; ++d) {
        date_t x = day("2026-02-01") + caseflow::days{d - 1};
        BOOST_TEST_CONTEXT(format_date(x)) {
            BOOST_TEST(!office().is_working_day(x));
            BOOST_TEST(office().describe(x).name == "Spring Festival");
        }
    }
    BOOST_TEST(office().is_working_day(day("2026-02-24")));
    BOOST_TEST(office().is_working_day(day("2026-02-28")));
    BOOST_TEST(add(office(), "2026-02-13T10:00:00+08:00", "1 business_days") == "2026-02-14T10:00:00+08:00");
    BOOST_TEST(add(office(), "2026-02-14T10:00:00+08:00", "1 business_days") == "2026-02-24T10:00:00+08:00");
    BOOST_TEST(add(office(), "2026-02-14T16:15:00+08:00", "2 business_hours") == "2026-02-24T09:15:00+08:00");
    BOOST_TEST(add(office(), "2026-02-13T16:15:00+08:00", "2 business_hours") == "2026-02-14T09:15:00+08:00");
    BOOST_TEST((office().working_time_between(at("2026-02-13T00:00:00+08:00"), at("2026-02-25T00:00:00+08:00")) ==
                duration{27h}));
    BOOST_TEST(format_date(office().add_working_days(day("2026-02-14"), 1)) == "2026-02-24");
    BOOST_TEST(format_date(office().add_working_days(day("2026-02-24"), -1)) == "2026-02-14");
    BOOST_TEST(format_date(office().add_working_days(day("2026-02-15"), 0)) == "2026-02-24");
    BOOST_TEST(format_date(office().add_working_days(day("2026-02-15"), 1)) == "2026-02-24");
    BOOST_TEST(format_date(office().add_working_days(day("2026-02-15"), -1)) == "2026-02-14");
}

BOOST_AUTO_TEST_CASE(data_2025_matches_state_council) {
    BOOST_TEST(office().is_working_day(day("2025-01-26")));   // make-up Sunday
    BOOST_TEST(!office().is_working_day(day("2025-01-28")));  // Spring Festival eve
    BOOST_TEST(!office().is_working_day(day("2025-10-08")));
    BOOST_TEST(office().is_working_day(day("2025-10-11")));   // make-up Saturday
}

BOOST_AUTO_TEST_SUITE_END()

// "N business days after T": T first rolls forward to the next working
// instant (kept when inside a working range or exactly at its end); the
// result is that wall-clock time on the N-th working day after.
BOOST_AUTO_TEST_SUITE(business_day_edges)

BOOST_AUTO_TEST_CASE(start_on_a_weekend) {
    BOOST_TEST(add(office(), "2026-10-17T10:00:00+08:00", "1 business_days") == "2026-10-20T08:15:00+08:00");
}

BOOST_AUTO_TEST_CASE(start_before_opening) {
    BOOST_TEST(add(office(), "2026-10-19T07:00:00+08:00", "1 business_days") == "2026-10-20T08:15:00+08:00");
}

BOOST_AUTO_TEST_CASE(start_on_a_holiday) {
    BOOST_TEST(add(office(), "2026-10-01T10:00:00+08:00", "1 business_days") == "2026-10-09T08:15:00+08:00");
    BOOST_TEST(add(office(), "2026-10-01T10:00:00+08:00", "3 business_hours") == "2026-10-08T11:15:00+08:00");
}

BOOST_AUTO_TEST_CASE(start_exactly_at_end_of_day_stays_on_that_day) {
    BOOST_TEST(add(office(), "2026-10-09T17:15:00+08:00", "1 business_days") == "2026-10-10T17:15:00+08:00");
    BOOST_TEST(add(office(), "2026-10-09T17:15:00+08:00", "1 business_hours") == "2026-10-10T09:15:00+08:00");
}

BOOST_AUTO_TEST_CASE(start_after_end_of_day_rolls_to_next_morning) {
    BOOST_TEST(add(office(), "2026-10-09T18:00:00+08:00", "1 business_days") == "2026-10-12T08:15:00+08:00");
    BOOST_TEST(add(office(), "2026-10-09T18:00:00+08:00", "0 business_days") == "2026-10-10T08:15:00+08:00");
}

BOOST_AUTO_TEST_CASE(hours_ending_exactly_at_closing_time_stay_there) {
    BOOST_TEST(add(office(), "2026-10-14T16:15:00+08:00", "1 business_hours") == "2026-10-14T17:15:00+08:00");
    BOOST_TEST(add(office(), "2026-10-14T16:15:00+08:00", "61 business_minutes") == "2026-10-15T08:16:00+08:00");
    // 0 business time is the start itself, even outside working hours.
    BOOST_TEST(add(office(), "2026-10-17T10:00:00+08:00", "0 business_hours") == "2026-10-17T10:00:00+08:00");
}

BOOST_AUTO_TEST_CASE(plain_durations_ignore_the_calendar) {
    BOOST_TEST(add(office(), "2026-09-30T16:00:00+08:00", "3d") == "2026-10-03T16:00:00+08:00");
    BOOST_TEST(add(office(), "2030-01-01T00:00:00+08:00", "PT4H") == "2030-01-01T04:00:00+08:00");
}

BOOST_AUTO_TEST_CASE(wall_time_is_clamped_into_the_target_day) {
    // Studio weekends work 09:00-18:00, weekdays 08:15-17:15.
    BOOST_TEST(add(studio(), "2026-10-16T08:30:00+08:00", "1 business_days") == "2026-10-17T09:00:00+08:00");
    BOOST_TEST(add(studio(), "2026-10-17T17:45:00+08:00", "1 business_days") == "2026-10-18T17:45:00+08:00");
    BOOST_TEST(add(studio(), "2026-10-18T17:45:00+08:00", "1 business_days") == "2026-10-19T17:15:00+08:00");
}

BOOST_AUTO_TEST_CASE(negative_business_durations_are_refused) {
    BOOST_CHECK_THROW(office().add(at("2026-10-14T10:00:00+08:00"), business_duration::days(-1)), usage_error);
}

BOOST_AUTO_TEST_CASE(next_working_instant) {
    BOOST_TEST(local(office(), office().next_working_instant(at("2026-10-14T10:00:00+08:00"))) ==
               "2026-10-14T10:00:00+08:00");
    BOOST_TEST(local(office(), office().next_working_instant(at("2026-10-14T17:15:00+08:00"))) ==
               "2026-10-14T17:15:00+08:00");
    BOOST_TEST(local(office(), office().next_working_instant(at("2026-10-14T17:16:00+08:00"))) ==
               "2026-10-15T08:15:00+08:00");
}

BOOST_AUTO_TEST_CASE(end_of_working_day) {
    auto eod = [](const char* t) { return local(office(), office().end_of_working_day(at(t))); };
    BOOST_TEST(eod("2026-10-14T10:00:00+08:00") == "2026-10-14T17:15:00+08:00");
    BOOST_TEST(eod("2026-10-14T06:00:00+08:00") == "2026-10-14T17:15:00+08:00");
    BOOST_TEST(eod("2026-10-14T17:15:00+08:00") == "2026-10-15T17:15:00+08:00");  // the day is over
    BOOST_TEST(eod("2026-10-09T20:00:00+08:00") == "2026-10-10T17:15:00+08:00");  // make-up Saturday
    BOOST_TEST(eod("2026-10-03T12:00:00+08:00") == "2026-10-08T17:15:00+08:00");  // holiday
}

BOOST_AUTO_TEST_CASE(working_time_between) {
    BOOST_TEST((office().working_time_between(at("2026-10-14T08:00:00+08:00"), at("2026-10-14T09:00:00+08:00")) ==
                duration{45min}));
    BOOST_TEST((office().working_time_between(at("2026-10-14T09:00:00+08:00"), at("2026-10-14T08:00:00+08:00")) ==
                duration{-45min}));
    BOOST_TEST((office().working_time_between(at("2026-10-03T08:00:00+08:00"), at("2026-10-03T18:00:00+08:00")) ==
                duration{0}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(quiet_hours)

BOOST_AUTO_TEST_CASE(midday_rest) {
    BOOST_TEST(office().in_quiet_hours(at("2026-10-14T12:30:00+08:00")));
    BOOST_TEST(office().in_quiet_hours(at("2026-10-14T12:00:00+08:00")));
    BOOST_TEST(!office().in_quiet_hours(at("2026-10-14T11:59:00+08:00")));
    BOOST_TEST(!office().in_quiet_hours(at("2026-10-14T14:00:00+08:00")));
    BOOST_TEST(local(office(), office().next_contact_allowed(at("2026-10-14T12:30:00+08:00"))) ==
               "2026-10-14T14:00:00+08:00");
    BOOST_TEST(local(office(), office().next_contact_allowed(at("2026-10-14T11:00:00+08:00"))) ==
               "2026-10-14T11:00:00+08:00");
}

BOOST_AUTO_TEST_CASE(night_crosses_midnight) {
    BOOST_TEST(office().in_quiet_hours(at("2026-10-14T21:00:00+08:00")));
    BOOST_TEST(!office().in_quiet_hours(at("2026-10-14T20:59:00+08:00")));
    BOOST_TEST(local(office(), office().next_contact_allowed(at("2026-10-14T22:00:00+08:00"))) ==
               "2026-10-15T09:00:00+08:00");
    BOOST_TEST(local(office(), office().next_contact_allowed(at("2026-10-15T03:00:00+08:00"))) ==
               "2026-10-15T09:00:00+08:00");
    BOOST_TEST(local(office(), office().next_contact_allowed(at("2026-12-31T23:30:00+08:00"))) ==
               "2027-01-01T09:00:00+08:00");
    BOOST_TEST(!office().in_quiet_hours(at("2026-10-15T09:00:00+08:00")));
}

BOOST_AUTO_TEST_CASE(quiet_hours_need_no_holiday_data) {
    BOOST_TEST(local(office(), office().next_contact_allowed(at("2030-05-01T23:00:00+08:00"))) ==
               "2030-05-02T09:00:00+08:00");
    BOOST_TEST(office().quiet_hours().size() == 2u);
    BOOST_TEST(studio().quiet_hours().size() == 2u);  // inherited
}

BOOST_AUTO_TEST_CASE(quiet_hours_across_dst) {
    // 21:00-09:00 New York; the night of the spring-forward change is 11 h.
    BOOST_TEST(local(us_east(), us_east().next_contact_allowed(at("2026-03-07T22:00:00-05:00"))) ==
               "2026-03-08T09:00:00-04:00");
    BOOST_TEST(local(us_east(), us_east().next_contact_allowed(at("2026-10-31T22:00:00-04:00"))) ==
               "2026-11-01T09:00:00-05:00");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(daylight_saving)

BOOST_AUTO_TEST_CASE(at_local_on_change_days) {
    const auto& c = us_east();
    date_t spring = day("2026-03-08"), fall = day("2026-11-01");
    BOOST_TEST(format_instant(c.at_local(spring, 1h + 30min)) == "2026-03-08T06:30:00Z");
    BOOST_TEST(format_instant(c.at_local(spring, 2h + 30min)) == "2026-03-08T07:00:00Z");  // skipped: the change
    BOOST_TEST(format_instant(c.at_local(spring, 3h)) == "2026-03-08T07:00:00Z");
    BOOST_TEST(format_instant(c.at_local(spring, 9h)) == "2026-03-08T13:00:00Z");
    BOOST_TEST(format_instant(c.at_local(fall, 1h + 30min)) == "2026-11-01T05:30:00Z");  // first of two
    BOOST_TEST(format_instant(c.at_local(fall, 9h)) == "2026-11-01T14:00:00Z");
    BOOST_TEST(format_instant(c.at_local(fall, 24h)) == "2026-11-02T05:00:00Z");
    BOOST_TEST(c.utc_offset_minutes(at("2026-03-08T06:59:00Z")) == -300);
    BOOST_TEST(c.utc_offset_minutes(at("2026-03-08T07:00:00Z")) == -240);
    BOOST_TEST(format_date(c.local_date(at("2026-11-02T04:59:00Z"))) == "2026-11-01");
    BOOST_TEST((c.local_time_of_day(at("2026-11-01T06:30:00Z")) == duration{1h + 30min}));
}

BOOST_AUTO_TEST_CASE(business_hours_across_changes) {
    BOOST_TEST(add(us_east(), "2026-03-06T16:00:00-05:00", "2 business_hours") == "2026-03-09T10:00:00-04:00");
    BOOST_TEST(add(us_east(), "2026-10-30T16:00:00-04:00", "2 business_hours") == "2026-11-02T10:00:00-05:00");
    BOOST_TEST((us_east().working_time_between(at("2026-03-06T09:00:00-05:00"), at("2026-03-09T17:00:00-04:00")) ==
                duration{16h}));
    BOOST_TEST((us_east().working_time_between(at("2026-10-30T09:00:00-04:00"), at("2026-11-02T17:00:00-05:00")) ==
                duration{16h}));
}

BOOST_AUTO_TEST_CASE(business_days_keep_wall_time) {
    BOOST_TEST(add(us_east(), "2026-03-06T10:00:00-05:00", "1 business_days") == "2026-03-09T10:00:00-04:00");
    BOOST_TEST(add(us_east(), "2026-10-30T10:00:00-04:00", "1 business_days") == "2026-11-02T10:00:00-05:00");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(years_without_data)

BOOST_AUTO_TEST_CASE(days_outside_the_years_are_errors) {
    BOOST_CHECK_EXCEPTION(office().is_working_day(day("2027-01-04")), calendar_data_error, [](const auto& e) {
        return std::string(e.what()) == "calendar 'office' has no data for 2027-01-04: it covers 2025-2026";
    });
    BOOST_CHECK_EXCEPTION(us_east().describe(day("2025-12-31")), calendar_data_error, [](const auto& e) {
        return std::string(e.what()) == "calendar 'us_east' has no data for 2025-12-31: it covers 2026";
    });
    BOOST_CHECK_THROW(office().working_ranges(day("2024-12-31")), calendar_data_error);
    BOOST_CHECK_THROW(office().add(at("2027-03-01T10:00:00+08:00"), business_duration::hours(1)),
                      calendar_data_error);
    BOOST_CHECK_THROW(office().working_time_between(at("2026-12-01T10:00:00+08:00"), at("2027-01-05T10:00:00+08:00")),
                      calendar_data_error);
    BOOST_TEST(office().covers(day("2026-12-31")));
    BOOST_TEST(!office().covers(day("2027-01-01")));
}

BOOST_AUTO_TEST_CASE(deadlines_running_past_the_data_are_errors) {
    BOOST_CHECK_EXCEPTION(office().add(at("2026-12-31T16:00:00+08:00"), business_duration::hours(2)),
                          calendar_data_error, [](const auto& e) {
                              return std::string(e.what()) ==
                                     "adding 2 business_hours to 2026-12-31T16:00:00+08:00 runs past the end of "
                                     "calendar 'office' data (it covers 2025-2026)";
                          });
    BOOST_CHECK_THROW(office().add(at("2026-12-30T16:00:00+08:00"), business_duration::days(3)), calendar_data_error);
    BOOST_CHECK_THROW(office().add_working_days(day("2026-12-31"), 1), calendar_data_error);
    BOOST_CHECK_THROW(office().add(at("2026-01-05T10:00:00+08:00"), business_duration::hours(999999999999999999)),
                      calendar_data_error);
    // The last working range of the data is still reachable.
    BOOST_TEST(add(office(), "2026-12-31T16:00:00+08:00", "75 business_minutes") == "2026-12-31T17:15:00+08:00");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(extends)

BOOST_AUTO_TEST_CASE(studio_is_office_plus_weekends) {
    BOOST_TEST(studio().name() == "studio");
    BOOST_TEST(studio().zone_name() == "Asia/Shanghai");
    BOOST_TEST(ranges(studio(), "2026-10-17") == "09:00-18:00");  // Saturday
    BOOST_TEST(ranges(studio(), "2026-10-14") == "08:15-17:15");  // Wednesday
    BOOST_TEST(!studio().is_working_day(day("2026-10-03")));      // holiday on a Saturday
    BOOST_TEST(studio().describe(day("2026-10-03")).name == "National Day");
    BOOST_TEST(ranges(studio(), "2026-10-10") == "08:15-17:15");  // make-up day keeps its hours
}

BOOST_AUTO_TEST_CASE(child_overrides_and_adds) {
    auto child = calendar::load(fixtures + "extends/child.yaml");
    BOOST_TEST(child.name() == "child");
    BOOST_TEST(ranges(child, "2026-05-16") == "10:00-16:00");            // Saturday added
    BOOST_TEST(!child.is_working_day(day("2026-05-11")));                  // Monday removed
    BOOST_TEST(ranges(child, "2026-05-12") == "09:00-12:00 13:00-17:00");  // Tuesday inherited
    BOOST_TEST(!child.is_working_day(day("2026-05-01")));                  // inherited holiday
    BOOST_TEST(child.describe(day("2026-06-01")).name == "Children's Day");
    BOOST_TEST(ranges(child, "2026-05-09") == "09:00-12:00 13:00-17:00");  // make-up default hours
    BOOST_TEST(child.quiet_hours().size() == 1u);
}

BOOST_AUTO_TEST_CASE(load_a_directory) {
    auto set = load_calendars(root + "/rules/calendars");
    BOOST_TEST((set.names() == std::vector<std::string>{"office", "studio", "us_east"}));
    BOOST_REQUIRE(set.find("studio"));
    BOOST_TEST(set.find("studio")->is_working_day(day("2026-10-17")));
    BOOST_TEST(!set.find("studoi"));
    BOOST_CHECK_EXCEPTION(set.at("studoi"), usage_error, [](const auto& e) {
        return std::string(e.what()) == "unknown calendar 'studoi' (did you mean 'studio'?)";
    });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(broken_files)

struct expected_error {
    const char* file;
    int line, column;
    const char* message;
};

BOOST_AUTO_TEST_CASE(exact_messages_and_positions) {
    const expected_error cases[] = {
        {"bad_time.yaml", 4, 11, "invalid time '25:00': expected HH:MM between 00:00 and 24:00"},
        {"unknown_key.yaml", 1, 1, "unknown key 'zome' in calendar (did you mean 'zone'?)"},
        {"overlap.yaml", 4, 26, "working range '11:00-13:00' overlaps '08:00-12:00'"},
        {"end_before_start.yaml", 4, 11,
         "working range '17:15-08:15' ends before it starts; working ranges cannot cross midnight "
         "(split it at 24:00)"},
        {"unknown_zone.yaml", 1, 7,
         "unknown time zone 'Asia/Shangai' (did you mean 'Asia/Shanghai'?); expected an IANA zone name "
         "such as Asia/Shanghai"},
        {"unknown_weekday.yaml", 3, 3,
         "unknown weekday 'munday' (did you mean 'monday'?); expected monday ... sunday"},
        {"no_years.yaml", 1, 1,
         "missing 'years': say which years the holiday data covers, e.g. years: [2026]"},
        {"gap_in_years.yaml", 1, 15, "years must be consecutive and ascending: expected 2026, got 2027"},
        {"holiday_outside_years.yaml", 5, 5,
         "holiday 'New Year' (2027-01-01) is outside the calendar's years (2026)"},
        {"makeup_on_holiday.yaml", 7, 5, "make-up working day 'Oops' on 2026-10-03 is also holiday 'National Day'"},
        {"bad_holiday_key.yaml", 5, 25, "unknown key 'nam' in holiday (did you mean 'name'?)"},
        {"bad_date.yaml", 5, 13, "invalid date '2026-02-30': expected YYYY-MM-DD"},
        {"extends/typo.yaml", 1, 10, nullptr},
        {"extends/cycle_a.yaml", 1, 10, "extends cycle: cycle_a -> cycle_b -> cycle_a"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.file) {
            const std::string path = fixtures + c.file;
            try {
                calendar::load(path);
                BOOST_ERROR("no error");
            } catch (const rule_error& e) {
                BOOST_TEST(e.pos().line == c.line);
                BOOST_TEST(e.pos().column == c.column);
                if (c.message) {
                    BOOST_TEST(e.message() == c.message);
                    BOOST_TEST(std::string(e.what()) == e.pos().file + ":" + std::to_string(c.line) + ":" +
                                                            std::to_string(c.column) + ": " + c.message);
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(cycle_is_reported_in_the_file_that_closes_it) {
    try {
        calendar::load(fixtures + "extends/cycle_a.yaml");
        BOOST_ERROR("no error");
    } catch (const rule_error& e) {
        BOOST_TEST(e.pos().file == fixtures + "extends/cycle_b.yaml");
    }
}

BOOST_AUTO_TEST_CASE(unknown_extends_suggests_a_sibling) {
    try {
        calendar::load(fixtures + "extends/typo.yaml");
        BOOST_ERROR("no error");
    } catch (const rule_error& e) {
        BOOST_TEST(e.message() == "unknown calendar 'bas' in extends (did you mean 'base'?); expected the file "
                                  "stem of a calendar in " + fixtures + "extends");
    }
}

BOOST_AUTO_TEST_CASE(yaml_syntax_errors_carry_positions) {
    try {
        calendar::load(fixtures + "syntax_error.yaml");
        BOOST_ERROR("no error");
    } catch (const rule_error& e) {
        BOOST_TEST(e.pos().file == fixtures + "syntax_error.yaml");
        BOOST_TEST(e.pos().line > 0);
    }
}

BOOST_AUTO_TEST_CASE(missing_file) {
    BOOST_CHECK_THROW(calendar::load(fixtures + "nope.yaml"), rule_error);
}

BOOST_AUTO_TEST_CASE(a_directory_loads_whole_or_not_at_all) {
    try {
        load_calendars(fixtures + "extends");
        BOOST_ERROR("no error");
    } catch (const rule_errors& e) {
        // cycle_a/cycle_b (one cycle, reported once) and typo.
        BOOST_TEST(e.errors().size() == 2u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
