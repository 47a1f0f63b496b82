// The SLA clock protocol: pause/resume arithmetic, warnings, breach, stop,
// cancel, ignored events, and a business-hours time measure.
#define BOOST_TEST_MODULE sla_clock
#include <boost/test/unit_test.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "caseflow/error.hpp"
#include "caseflow/time.hpp"
#include "support/protocol_time.hpp"
#include "protocols/sla_clock.hpp"

using namespace std::chrono_literals;
using caseflow::duration;
using caseflow::instant;
namespace proto = caseflow::protocols;
using proto::sla_event;
using proto::sla_record;
using proto::sla_state;

namespace caseflow::protocols {
std::ostream& operator<<(std::ostream& os, sla_state s) { return os << to_string(s); }
std::ostream& operator<<(std::ostream& os, const sla_record& r) {
    return os << "{" << r.at.time_since_epoch().count() << "ms " << to_string(r.kind) << " "
              << r.percent << "% elapsed " << r.elapsed.count() << "ms}";
}
}  // namespace caseflow::protocols


namespace {


// Toy business calendar: 09:00-17:00 UTC every day counts, nothing else.
struct working_hours_measure final : proto::time_measure {
    static constexpr duration open = 9h;
    static constexpr duration close = 17h;

    static instant day_of(instant t) {
        return instant{std::chrono::floor<caseflow::days>(t)};
    }
    duration elapsed(instant a, instant b) const override {
        duration total{0};
        for (instant day = day_of(a); day < b; day += caseflow::days{1}) {
            const instant from = std::max(a, day + open);
            const instant to = std::min(b, day + close);
            if (from < to) total += to - from;
        }
        return total;
    }
    instant add(instant from, duration d) const override {
        if (d == duration::zero()) return from;
        instant cur = from;
        for (;;) {
            const instant day = day_of(cur);
            if (cur < day + open) cur = day + open;
            if (cur >= day + close) {
                cur = day + caseflow::days{1} + open;
                continue;
            }
            const duration left_today = day + close - cur;
            if (d <= left_today) return cur + d;
            d -= left_today;
            cur = day + caseflow::days{1} + open;
        }
    }
};

sla_record rec(instant at, sla_event kind, duration elapsed, int percent = 0) {
    return sla_record{at, kind, percent, elapsed};
}

}  // namespace

BOOST_AUTO_TEST_CASE(pause_resume_arithmetic_worked_example) {
    // Target 8h of calendar time, warnings at 50% (4h) and 75% (6h).
    const proto::sla_policy policy{8h, {50, 75}};
    policy.validate();
    proto::sla_clock clock{policy};
    std::vector<sla_record> out;

    // 08:00 start: due 08:00 + 8h = 16:00; first tick needed at 50% = 12:00.
    BOOST_TEST(clock.start(mon(8h), out));
    BOOST_TEST(clock.state() == sla_state::running);
    BOOST_TEST(clock.due() == std::optional<instant>{mon(16h)});
    BOOST_TEST(clock.next_due() == std::optional<instant>{mon(12h)});

    // A tick before 12:00 changes nothing.
    BOOST_TEST(!clock.tick(mon(11h), out));

    // 11:00 pause: 08:00-11:00 = 3h counted.  Paused: nothing is due, and a
    // tick changes nothing however late it is.
    BOOST_TEST(clock.pause(mon(11h), out));
    BOOST_TEST(clock.state() == sla_state::paused);
    BOOST_TEST(clock.elapsed(mon(12h)) == duration{3h});
    BOOST_TEST(clock.next_due() == std::optional<instant>{});
    BOOST_TEST(clock.due() == std::optional<instant>{});
    BOOST_TEST(!clock.tick(mon(12h + 30min), out));

    // 13:00 resume: 8h - 3h = 5h left, so due moves from 16:00 to 18:00.
    // 50% needs 4h - 3h = 1h more: 14:00.
    BOOST_TEST(clock.resume(mon(13h), out));
    BOOST_TEST(clock.state() == sla_state::running);
    BOOST_TEST(clock.due() == std::optional<instant>{mon(18h)});
    BOOST_TEST(clock.next_due() == std::optional<instant>{mon(14h)});

    // 14:30 tick: the 50% threshold was crossed at 14:00 (3h + 1h = 4h).
    // 75% (6h) needs 6h - 3h = 3h after 13:00: 16:00.
    BOOST_TEST(clock.tick(mon(14h + 30min), out));
    BOOST_TEST(clock.state() == sla_state::warned);
    BOOST_TEST(clock.next_due() == std::optional<instant>{mon(16h)});

    // 15:00 pause while warned: 3h + (15:00 - 13:00) = 5h counted.
    BOOST_TEST(clock.pause(mon(15h), out));
    BOOST_TEST(clock.state() == sla_state::warned_paused);
    BOOST_TEST(clock.is_paused());

    // 16:00 resume: back to warned.  3h left: due 19:00; 75% needs 1h: 17:00.
    BOOST_TEST(clock.resume(mon(16h), out));
    BOOST_TEST(clock.state() == sla_state::warned);
    BOOST_TEST(clock.due() == std::optional<instant>{mon(19h)});
    BOOST_TEST(clock.next_due() == std::optional<instant>{mon(17h)});
    // The 50% warning is not repeated.
    BOOST_TEST(!clock.tick(mon(16h + 30min), out));

    // 19:30 tick, late: 75% at 17:00 (6h) and the breach at 19:00 (8h), each
    // dated when it was crossed, in order.
    BOOST_TEST(clock.tick(mon(19h + 30min), out));
    BOOST_TEST(clock.state() == sla_state::breached);
    BOOST_TEST(clock.next_due() == std::optional<instant>{});

    // Breached is final: stop, pause, resume, cancel, tick change nothing.
    BOOST_TEST(!clock.stop(mon(20h), out));
    BOOST_TEST(!clock.pause(mon(20h), out));
    BOOST_TEST(!clock.resume(mon(20h), out));
    BOOST_TEST(!clock.cancel(mon(20h), out));
    BOOST_TEST(!clock.tick(mon(23h), out));
    BOOST_TEST(clock.state() == sla_state::breached);
    BOOST_TEST(clock.elapsed(mon(23h)) == duration{8h});

    const std::vector<sla_record> expected{
        rec(mon(8h), sla_event::started, 0h),
        rec(mon(11h), sla_event::paused, 3h),
        rec(mon(13h), sla_event::resumed, 3h),
        rec(mon(14h), sla_event::warned, 4h, 50),
        rec(mon(15h), sla_event::paused, 5h),
        rec(mon(16h), sla_event::resumed, 5h),
        rec(mon(17h), sla_event::warned, 6h, 75),
        rec(mon(19h), sla_event::breached, 8h, 100),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(warnings_at_50_and_75_then_breach_at_100) {
    const proto::sla_policy policy{4h, {50, 75}};
    proto::sla_clock clock{policy};
    std::vector<sla_record> out;
    clock.start(mon(9h), out);
    // The engine ticks exactly at each next_due(): 11:00, 12:00, 13:00.
    BOOST_TEST(clock.next_due() == std::optional<instant>{mon(11h)});
    BOOST_TEST(clock.tick(*clock.next_due(), out));
    BOOST_TEST(clock.next_due() == std::optional<instant>{mon(12h)});
    BOOST_TEST(clock.tick(*clock.next_due(), out));
    BOOST_TEST(clock.state() == sla_state::warned);
    BOOST_TEST(clock.next_due() == std::optional<instant>{mon(13h)});
    BOOST_TEST(clock.tick(*clock.next_due(), out));
    BOOST_TEST(clock.state() == sla_state::breached);
    const std::vector<sla_record> expected{
        rec(mon(9h), sla_event::started, 0h),
        rec(mon(11h), sla_event::warned, 2h, 50),
        rec(mon(12h), sla_event::warned, 3h, 75),
        rec(mon(13h), sla_event::breached, 4h, 100),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stop_before_due_is_met) {
    const proto::sla_policy policy{8h, {50}};
    proto::sla_clock clock{policy};
    std::vector<sla_record> out;
    clock.start(mon(8h), out);
    BOOST_TEST(clock.stop(mon(10h), out));
    BOOST_TEST(clock.state() == sla_state::met);
    BOOST_TEST(clock.is_final());
    BOOST_TEST(clock.next_due() == std::optional<instant>{});
    BOOST_TEST(clock.elapsed(mon(23h)) == duration{2h});
    const std::vector<sla_record> expected{
        rec(mon(8h), sla_event::started, 0h),
        rec(mon(10h), sla_event::met, 2h),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
    BOOST_TEST(!clock.stop(mon(11h), out));
    BOOST_TEST(!clock.start(mon(11h), out));
    BOOST_TEST(out.size() == 2u);
}

BOOST_AUTO_TEST_CASE(stop_catches_up_missed_warnings_first) {
    // No tick was delivered at 12:00; stop at 13:00 still records the 50%
    // warning (dated 12:00) before met.
    const proto::sla_policy policy{8h, {50}};
    proto::sla_clock clock{policy};
    std::vector<sla_record> out;
    clock.start(mon(8h), out);
    BOOST_TEST(clock.stop(mon(13h), out));
    const std::vector<sla_record> expected{
        rec(mon(8h), sla_event::started, 0h),
        rec(mon(12h), sla_event::warned, 4h, 50),
        rec(mon(13h), sla_event::met, 5h),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stop_at_or_after_due_is_breached) {
    const proto::sla_policy policy{8h, {}};
    {
        // Exactly at due: 100% is reached, so the breach comes first.
        proto::sla_clock clock{policy};
        std::vector<sla_record> out;
        clock.start(mon(8h), out);
        BOOST_TEST(clock.stop(mon(16h), out));
        BOOST_TEST(clock.state() == sla_state::breached);
        BOOST_TEST(out.back() == rec(mon(16h), sla_event::breached, 8h, 100));
    }
    {
        // One ms before due: met.
        proto::sla_clock clock{policy};
        std::vector<sla_record> out;
        clock.start(mon(8h), out);
        BOOST_TEST(clock.stop(mon(16h) - 1ms, out));
        BOOST_TEST(clock.state() == sla_state::met);
        BOOST_TEST(out.back() == rec(mon(16h) - 1ms, sla_event::met, 8h - 1ms));
    }
}

BOOST_AUTO_TEST_CASE(stop_while_paused_is_met_with_paused_time_excluded) {
    const proto::sla_policy policy{8h, {}};
    proto::sla_clock clock{policy};
    std::vector<sla_record> out;
    clock.start(mon(8h), out);
    clock.pause(mon(10h), out);
    // Two days paused: still only 2h counted.
    BOOST_TEST(clock.stop(at_day(2, 10h), out));
    BOOST_TEST(clock.state() == sla_state::met);
    BOOST_TEST(out.back() == rec(at_day(2, 10h), sla_event::met, 2h));
}

BOOST_AUTO_TEST_CASE(cancel_from_every_live_state) {
    const proto::sla_policy policy{8h, {50}};
    {
        proto::sla_clock clock{policy};
        std::vector<sla_record> out;
        BOOST_TEST(clock.cancel(mon(8h), out));
        BOOST_TEST(clock.state() == sla_state::cancelled);
        BOOST_TEST(out.back() == rec(mon(8h), sla_event::cancelled, 0h));
        BOOST_TEST(!clock.start(mon(9h), out));
    }
    {
        proto::sla_clock clock{policy};
        std::vector<sla_record> out;
        clock.start(mon(8h), out);
        BOOST_TEST(clock.cancel(mon(9h), out));
        BOOST_TEST(out.back() == rec(mon(9h), sla_event::cancelled, 1h));
    }
    {
        // warned_paused -> cancelled keeps the counted time of the pause.
        proto::sla_clock clock{policy};
        std::vector<sla_record> out;
        clock.start(mon(8h), out);
        clock.tick(mon(13h), out);
        clock.pause(mon(13h), out);
        BOOST_TEST(clock.state() == sla_state::warned_paused);
        BOOST_TEST(clock.cancel(mon(20h), out));
        BOOST_TEST(clock.state() == sla_state::cancelled);
        BOOST_TEST(out.back() == rec(mon(20h), sla_event::cancelled, 5h));
        BOOST_TEST(!clock.tick(at_day(3, 0h), out));
    }
}

BOOST_AUTO_TEST_CASE(pause_during_warned_then_stop) {
    const proto::sla_policy policy{10h, {50}};
    proto::sla_clock clock{policy};
    std::vector<sla_record> out;
    clock.start(mon(8h), out);
    clock.tick(mon(14h), out);  // 50% at 13:00
    BOOST_TEST(clock.state() == sla_state::warned);
    BOOST_TEST(clock.pause(mon(14h), out));  // 6h counted
    BOOST_TEST(clock.state() == sla_state::warned_paused);
    BOOST_TEST(!clock.pause(mon(15h), out));
    BOOST_TEST(clock.resume(mon(20h), out));  // 4h left: due 24:00
    BOOST_TEST(clock.state() == sla_state::warned);
    BOOST_TEST(clock.due() == std::optional<instant>{at_day(1, 0h)});
    BOOST_TEST(clock.next_due() == std::optional<instant>{at_day(1, 0h)});
    BOOST_TEST(clock.stop(mon(22h), out));
    BOOST_TEST(clock.state() == sla_state::met);
    const std::vector<sla_record> expected{
        rec(mon(8h), sla_event::started, 0h),
        rec(mon(13h), sla_event::warned, 5h, 50),
        rec(mon(14h), sla_event::paused, 6h),
        rec(mon(20h), sla_event::resumed, 6h),
        rec(mon(22h), sla_event::met, 8h),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(invalid_transitions_are_ignored) {
    const proto::sla_policy policy{8h, {50}};
    proto::sla_clock clock{policy};
    std::vector<sla_record> out;
    BOOST_TEST(!clock.pause(mon(8h), out));
    BOOST_TEST(!clock.resume(mon(8h), out));
    BOOST_TEST(!clock.stop(mon(8h), out));
    BOOST_TEST(!clock.tick(mon(8h), out));
    BOOST_TEST(clock.state() == sla_state::not_started);
    BOOST_TEST(clock.start(mon(8h), out));
    BOOST_TEST(!clock.start(mon(9h), out));
    BOOST_TEST(!clock.resume(mon(9h), out));
    BOOST_TEST(clock.pause(mon(9h), out));
    BOOST_TEST(!clock.pause(mon(10h), out));
    // An instant before the last change (09:00) is ignored too.
    BOOST_TEST(!clock.resume(mon(8h + 30min), out));
    BOOST_TEST(clock.state() == sla_state::paused);
    BOOST_TEST(out.size() == 2u);
}

BOOST_AUTO_TEST_CASE(policy_validation) {
    BOOST_CHECK_THROW((proto::sla_policy{0h, {}}.validate()), caseflow::usage_error);
    BOOST_CHECK_THROW((proto::sla_policy{1h, {0}}.validate()), caseflow::usage_error);
    BOOST_CHECK_THROW((proto::sla_policy{1h, {100}}.validate()), caseflow::usage_error);
    BOOST_CHECK_THROW((proto::sla_policy{1h, {75, 50}}.validate()), caseflow::usage_error);
    BOOST_CHECK_THROW((proto::sla_policy{1h, {50, 50}}.validate()), caseflow::usage_error);
    BOOST_CHECK_NO_THROW((proto::sla_policy{1h, {25, 50, 99}}.validate()));
    try {
        proto::sla_policy{1h, {75, 50}}.validate();
    } catch (const caseflow::usage_error& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "sla warning thresholds must be strictly increasing, got 50% after 75%");
    }
}

BOOST_AUTO_TEST_CASE(business_hours_measure) {
    // 16 working hours, 09:00-17:00 each day, warning at 50% (8h).
    const working_hours_measure hours;
    proto::sla_policy policy{16h, {50}};
    policy.measure = &hours;
    policy.validate();
    proto::sla_clock clock{policy};
    std::vector<sla_record> out;

    // Mon 15:00 start.  Mon 15-17 = 2h, Tue 9-17 = 8h, Wed 9-15 = 6h: due Wed
    // 15:00.  50% = 8h: Mon 2h + Tue 6h -> Tue 15:00.
    clock.start(mon(15h), out);
    BOOST_TEST(clock.due() == std::optional<instant>{at_day(2, 15h)});
    BOOST_TEST(clock.next_due() == std::optional<instant>{at_day(1, 15h)});
    // Nights do not count: Mon 23:00 is still 2h.
    BOOST_TEST(!clock.tick(mon(23h), out));
    BOOST_TEST(clock.elapsed(mon(23h)) == duration{2h});

    // Tue 16:00 tick: warned at Tue 15:00 with 8h.
    BOOST_TEST(clock.tick(at_day(1, 16h), out));
    // Tue 16:00 pause: 9h counted.
    BOOST_TEST(clock.pause(at_day(1, 16h), out));
    // Thu 10:00 resume (Wednesday paused, not counted): 7h left ->
    // Thu 10:00 + 7h = Thu 17:00.
    BOOST_TEST(clock.resume(at_day(3, 10h), out));
    BOOST_TEST(clock.due() == std::optional<instant>{at_day(3, 17h)});
    BOOST_TEST(clock.next_due() == std::optional<instant>{at_day(3, 17h)});
    // The tick arrives on Fri 08:00, before opening: breached at Thu 17:00.
    BOOST_TEST(clock.tick(at_day(4, 8h), out));
    BOOST_TEST(clock.state() == sla_state::breached);

    const std::vector<sla_record> expected{
        rec(mon(15h), sla_event::started, 0h),
        rec(at_day(1, 15h), sla_event::warned, 8h, 50),
        rec(at_day(1, 16h), sla_event::paused, 9h),
        rec(at_day(3, 10h), sla_event::resumed, 9h),
        rec(at_day(3, 17h), sla_event::breached, 16h, 100),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(records_append_and_clock_is_small) {
    // The engine reuses one vector; the clock never clears it.
    const proto::sla_policy policy{1h, {}};
    proto::sla_clock clock{policy};
    std::vector<sla_record> out{rec(mon(0h), sla_event::started, 0h)};
    clock.start(mon(1h), out);
    BOOST_TEST(out.size() == 2u);
    BOOST_TEST(sizeof(proto::sla_clock) <= 40u);
}
