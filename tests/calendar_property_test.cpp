// calendar::add, working_time_between and next_contact_allowed against a
// brute-force minute walk over the same calendars, on thousands of random
// inputs (fixed seed: deterministic).  The brute force uses only the per-day
// public facts (working_ranges, at_local, local time) and the definitions in
// docs/calendars.md, none of the precomputed interval tables.
#define BOOST_TEST_MODULE calendar_property
#include <boost/test/unit_test.hpp>

#include <random>
#include <string>
#include <vector>

#include "caseflow/calendar.hpp"

using namespace caseflow;
using namespace std::chrono_literals;

namespace {

const std::string root = CASEFLOW_SOURCE_DIR;

// One bit per UTC minute of the calendar's data span.
struct minute_model {
    const calendar& cal;
    instant first;  // local midnight of the first covered day
    std::vector<char> working;
    date_t first_day, end_day;

    explicit minute_model(const calendar& c) : cal(c) {
        // 1 January of the first covered year, found without the calendar's tables.
        first_day = *parse_date(std::to_string(c.years().front()) + "-01-01");
        end_day = *parse_date(std::to_string(c.years().back() + 1) + "-01-01");
        first = c.at_local(first_day, {});
        instant last = c.at_local(end_day, {});
        working.assign(static_cast<std::size_t>((last - first) / 1min), 0);
        for (date_t d = first_day; d < end_day; d += days{1})
            for (const auto& r : c.working_ranges(d)) {
                instant b = c.at_local(d, r.begin), e = c.at_local(d, r.end);
                for (instant m = b; m < e; m += 1min) working[index(m)] = 1;
            }
    }
    std::size_t index(instant m) const { return static_cast<std::size_t>((m - first) / 1min); }
    bool works(instant m) const { return m >= first && index(m) < working.size() && working[index(m)]; }
    instant end() const { return first + std::chrono::minutes{working.size()}; }

    duration between(instant a, instant b) const {
        std::int64_t n = 0;
        for (instant m = a; m < b; m += 1min) n += works(m);
        return std::chrono::minutes{n};
    }
    // nullopt: runs past the data.
    std::optional<instant> add_minutes(instant a, std::int64_t n) const {
        if (n == 0) return a;
        for (instant m = a; m < end(); m += 1min)
            if (works(m) && --n == 0) return m + 1min;
        return std::nullopt;
    }
    std::optional<instant> add_days(instant a, int n) const {
        instant t0 = a;
        while (!(works(t0) || works(t0 - 1min))) {
            t0 += 1min;
            if (t0 >= end()) return std::nullopt;
        }
        if (n == 0) return t0;
        // The day t0 belongs to: its own if it works, else the day of the
        // range it ends (which may be "24:00" of the day before).
        date_t d = works(t0) ? cal.local_date(t0) : cal.local_date(t0 - 1min);
        duration tod = cal.local_time_of_day(t0);
        if (cal.local_date(t0) != d) tod += 24h;
        for (int k = 0; k < n;) {
            d += days{1};
            if (d >= end_day) return std::nullopt;
            if (!cal.working_ranges(d).empty()) ++k;
        }
        const auto& rs = cal.working_ranges(d);
        instant lo = cal.at_local(d, rs.front().begin), hi = cal.at_local(d, rs.back().end);
        instant r = cal.at_local(d, tod);
        return r < lo ? lo : r > hi ? hi : r;
    }
    bool quiet(instant t) const {
        auto tod = std::chrono::duration_cast<std::chrono::minutes>(cal.local_time_of_day(t));
        for (const auto& q : cal.quiet_hours()) {
            if (q.crosses_midnight() ? (tod >= q.begin || tod < q.end) : (tod >= q.begin && tod < q.end))
                return true;
        }
        return false;
    }
};

std::string show(const calendar& c, instant t) { return format_instant(t, c.utc_offset_minutes(t)); }

void check_calendar(const char* file, std::uint32_t seed) {
    const calendar cal = calendar::load(root + "/rules/calendars/" + file);
    const minute_model model(cal);
    std::mt19937 rng(seed);
    const auto span_minutes = static_cast<std::int64_t>(model.working.size());
    auto random_instant = [&](std::int64_t margin_minutes) {
        std::uniform_int_distribution<std::int64_t> pick(0, span_minutes - 1 - margin_minutes);
        instant t = model.first + std::chrono::minutes{pick(rng)};
        // Bias towards interesting instants: exact range edges and midnights.
        switch (rng() % 8) {
            case 0: t = cal.at_local(cal.local_date(t), 17h + 15min); break;
            case 1: t = cal.at_local(cal.local_date(t), 8h + 15min); break;
            case 2: t = cal.at_local(cal.local_date(t), {}); break;
            default: break;
        }
        return t;
    };

    int checked = 0;
    // Business minutes and hours.
    for (int i = 0; i < 1500; ++i) {
        instant a = random_instant(20 * 24 * 60);
        std::int64_t n = (rng() % 2) ? std::int64_t(rng() % (3 * 9 * 60)) : std::int64_t(rng() % 40) * 60;
        auto expect = model.add_minutes(a, n);
        BOOST_TEST_CONTEXT(file << " from " << show(cal, a) << " + " << n << " business_minutes") {
            if (!expect) {
                BOOST_CHECK_THROW(cal.add(a, business_duration::minutes(n)), calendar_data_error);
                continue;
            }
            instant got = cal.add(a, business_duration::minutes(n));
            BOOST_TEST(show(cal, got) == show(cal, *expect));
            BOOST_TEST((cal.working_time_between(a, got) == duration{std::chrono::minutes{n}}));
            if (n % 60 == 0)
                BOOST_TEST(show(cal, cal.add(a, business_duration::hours(n / 60))) == show(cal, *expect));
            ++checked;
        }
    }
    // Working time between two instants.
    for (int i = 0; i < 1500; ++i) {
        instant a = random_instant(15 * 24 * 60);
        instant b = a + std::chrono::minutes{rng() % (14 * 24 * 60)};
        BOOST_TEST_CONTEXT(file << " between " << show(cal, a) << " and " << show(cal, b)) {
            BOOST_TEST((cal.working_time_between(a, b) == model.between(a, b)));
            BOOST_TEST((cal.working_time_between(b, a) == -model.between(a, b)));
        }
        ++checked;
    }
    // Business days.
    for (int i = 0; i < 1500; ++i) {
        instant a = random_instant(40 * 24 * 60);
        int n = static_cast<int>(rng() % 12);
        auto expect = model.add_days(a, n);
        BOOST_TEST_CONTEXT(file << " from " << show(cal, a) << " + " << n << " business_days") {
            if (!expect) {
                BOOST_CHECK_THROW(cal.add(a, business_duration::days(n)), calendar_data_error);
                continue;
            }
            BOOST_TEST(show(cal, cal.add(a, business_duration::days(n))) == show(cal, *expect));
            ++checked;
        }
    }
    // Quiet hours.
    for (int i = 0; i < 1500; ++i) {
        instant a = random_instant(2 * 24 * 60);
        instant expect = a;
        while (model.quiet(expect)) expect += 1min;
        BOOST_TEST_CONTEXT(file << " contact at " << show(cal, a)) {
            BOOST_TEST(cal.in_quiet_hours(a) == model.quiet(a));
            BOOST_TEST(show(cal, cal.next_contact_allowed(a)) == show(cal, expect));
        }
        ++checked;
    }
    BOOST_TEST(checked > 5000);
}

}  // namespace

BOOST_AUTO_TEST_CASE(office_matches_minute_walk) { check_calendar("office.yaml", 20261001u); }
BOOST_AUTO_TEST_CASE(studio_matches_minute_walk) { check_calendar("studio.yaml", 20260214u); }
BOOST_AUTO_TEST_CASE(us_east_matches_minute_walk) { check_calendar("us_east.yaml", 20260308u); }
