// The outbound contact attempt protocol: retries with another agent, giving
// up after N calls, quiet-hour deferral, rejection, same-working-day retries.
#define BOOST_TEST_MODULE contact_attempt
#include <boost/test/unit_test.hpp>

#include <optional>
#include <ostream>
#include <vector>

#include "caseflow/error.hpp"
#include "caseflow/time.hpp"
#include "support/protocol_time.hpp"
#include "protocols/contact_attempt.hpp"

using namespace std::chrono_literals;
using caseflow::instant;
namespace proto = caseflow::protocols;
using proto::agent_id;
using proto::contact_event;
using proto::contact_outcome;
using proto::contact_record;
using proto::contact_state;

namespace caseflow::protocols {
std::ostream& operator<<(std::ostream& os, contact_state s) { return os << to_string(s); }
std::ostream& operator<<(std::ostream& os, const contact_record& r) {
    return os << "{" << r.at.time_since_epoch().count() << "ms " << to_string(r.kind) << " #"
              << r.attempt << " agent " << r.agent << " from "
              << r.from.time_since_epoch().count() << " to " << r.to.time_since_epoch().count()
              << "}";
}
}  // namespace caseflow::protocols


namespace {


// The customer rests 21:00-08:00 UTC.
struct night_quiet final : proto::quiet_hours {
    instant next_allowed(instant t) const override {
        const instant day{std::chrono::floor<caseflow::days>(t)};
        if (t < day + 8h) return day + 8h;
        if (t >= day + 21h) return day + caseflow::days{1} + 8h;
        return t;
    }
};

contact_record rec(instant at, contact_event kind, std::uint16_t attempt, agent_id agent,
                   instant from = {}, instant to = {}) {
    return contact_record{at, kind, attempt, agent, from, to};
}

const std::vector<agent_id> roster{7, 11, 13};

proto::retry_context with_roster(const proto::quiet_hours& quiet) {
    proto::retry_context ctx;
    ctx.quiet = &quiet;
    ctx.agents = roster.data();
    ctx.agent_count = roster.size();
    return ctx;
}

}  // namespace

BOOST_AUTO_TEST_CASE(retries_go_to_another_agent_then_give_up_after_n) {
    proto::contact_policy policy;
    policy.max_attempts = 3;
    policy.retry_after = 2h;
    policy.reassign_on_retry = true;
    policy.validate();
    const proto::no_quiet_hours& anytime = proto::no_quiet_hours::instance();
    const auto ctx = with_roster(anytime);

    proto::contact_attempt call{policy};
    std::vector<contact_record> out;
    BOOST_TEST(call.schedule(mon(9h), mon(10h), 11, anytime, out));
    BOOST_TEST(call.state() == contact_state::scheduled);
    BOOST_TEST(call.next_due() == std::optional<instant>{mon(10h)});

    // Call 1 by agent 11: unreached at 10:03 -> retry 12:03 by 13, the next
    // agent after 11 in the roster.
    BOOST_TEST(call.due(mon(10h), out));
    BOOST_TEST(call.begin(mon(10h + 1min), 11, out));
    BOOST_TEST(call.state() == contact_state::in_progress);
    BOOST_TEST(call.result(contact_outcome::unreached, mon(10h + 3min), 11, out, ctx));
    BOOST_TEST(call.state() == contact_state::retry_scheduled);
    BOOST_TEST(call.attempt() == 2);
    BOOST_TEST(call.agent() == 13u);
    BOOST_TEST(call.next_due() == std::optional<instant>{mon(12h + 3min)});

    // Call 2 by 13 (result straight from due, no begin): the roster wraps
    // around to 7.
    BOOST_TEST(call.due(mon(12h + 3min), out));
    BOOST_TEST(call.result(contact_outcome::unreached, mon(12h + 5min), 13, out, ctx));
    BOOST_TEST(call.agent() == 7u);

    // Call 3 by 7: the third unreached call gives up.
    BOOST_TEST(call.due(mon(14h + 5min), out));
    BOOST_TEST(call.result(contact_outcome::unreached, mon(14h + 6min), 7, out, ctx));
    BOOST_TEST(call.state() == contact_state::given_up);
    BOOST_TEST(call.is_final());
    BOOST_TEST(call.next_due() == std::optional<instant>{});
    BOOST_TEST(!call.due(mon(20h), out));

    const std::vector<contact_record> expected{
        rec(mon(9h), contact_event::attempt_scheduled, 1, 11, {}, mon(10h)),
        rec(mon(10h), contact_event::attempt_due, 1, 11),
        rec(mon(10h + 1min), contact_event::call_started, 1, 11),
        rec(mon(10h + 3min), contact_event::unreached, 1, 11),
        rec(mon(10h + 3min), contact_event::retry_scheduled, 2, 13, {}, mon(12h + 3min)),
        rec(mon(12h + 3min), contact_event::attempt_due, 2, 13),
        rec(mon(12h + 5min), contact_event::unreached, 2, 13),
        rec(mon(12h + 5min), contact_event::retry_scheduled, 3, 7, {}, mon(14h + 5min)),
        rec(mon(14h + 5min), contact_event::attempt_due, 3, 7),
        rec(mon(14h + 6min), contact_event::unreached, 3, 7),
        rec(mon(14h + 6min), contact_event::given_up, 3, 7),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(one_attempt_gives_up_at_once) {
    proto::contact_policy policy;
    policy.max_attempts = 1;
    proto::contact_attempt call{policy};
    std::vector<contact_record> out;
    call.schedule(mon(9h), mon(9h), 5, proto::no_quiet_hours::instance(), out);
    call.due(mon(9h), out);
    BOOST_TEST(call.result(contact_outcome::unreached, mon(9h + 1min), 5, out));
    BOOST_TEST(call.state() == contact_state::given_up);
    BOOST_TEST(out.back() == rec(mon(9h + 1min), contact_event::given_up, 1, 5));
}

BOOST_AUTO_TEST_CASE(quiet_hours_defer_first_call_and_retry) {
    const night_quiet quiet;
    proto::contact_policy policy;
    policy.max_attempts = 2;
    policy.retry_after = 1h;
    proto::contact_attempt call{policy};
    std::vector<contact_record> out;

    // Planned for Mon 22:00, while the customer rests: deferred to Tue 08:00.
    BOOST_TEST(call.schedule(mon(20h), mon(22h), 5, quiet, out));
    BOOST_TEST(call.state() == contact_state::deferred);
    BOOST_TEST(call.next_due() == std::optional<instant>{at_day(1, 8h)});
    // An early timer changes nothing.
    BOOST_TEST(!call.due(at_day(1, 7h), out));
    BOOST_TEST(call.due(at_day(1, 8h), out));
    BOOST_TEST(call.state() == contact_state::due);

    // Unreached at Tue 20:30: the retry at 21:30 is deferred to Wed 08:00,
    // same agent (no reassignment).
    BOOST_TEST(call.result(contact_outcome::unreached, at_day(1, 20h + 30min), 5, out,
                           with_roster(quiet)));
    BOOST_TEST(call.state() == contact_state::deferred);
    BOOST_TEST(call.next_due() == std::optional<instant>{at_day(2, 8h)});
    BOOST_TEST(call.agent() == 5u);

    const std::vector<contact_record> expected{
        rec(mon(20h), contact_event::attempt_scheduled, 1, 5, {}, mon(22h)),
        rec(mon(20h), contact_event::deferred, 1, 5, mon(22h), at_day(1, 8h)),
        rec(at_day(1, 8h), contact_event::attempt_due, 1, 5),
        rec(at_day(1, 20h + 30min), contact_event::unreached, 1, 5),
        rec(at_day(1, 20h + 30min), contact_event::retry_scheduled, 2, 5, {},
            at_day(1, 21h + 30min)),
        rec(at_day(1, 20h + 30min), contact_event::deferred, 2, 5, at_day(1, 21h + 30min),
            at_day(2, 8h)),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rejected_is_final) {
    proto::contact_policy policy;
    proto::contact_attempt call{policy};
    std::vector<contact_record> out;
    call.schedule(mon(9h), mon(9h), 5, proto::no_quiet_hours::instance(), out);
    call.due(mon(9h), out);
    call.begin(mon(9h), 5, out);
    BOOST_TEST(call.result(contact_outcome::rejected, mon(9h + 2min), 5, out));
    BOOST_TEST(call.state() == contact_state::rejected);
    BOOST_TEST(out.back() == rec(mon(9h + 2min), contact_event::rejected, 1, 5));
    const auto n = out.size();
    BOOST_TEST(!call.result(contact_outcome::reached, mon(9h + 3min), 5, out));
    BOOST_TEST(!call.result(contact_outcome::unreached, mon(9h + 3min), 5, out));
    BOOST_TEST(!call.due(mon(10h), out));
    BOOST_TEST(!call.schedule(mon(10h), mon(10h), 5, proto::no_quiet_hours::instance(), out));
    BOOST_TEST(out.size() == n);
}

BOOST_AUTO_TEST_CASE(reached_is_final_and_records_the_caller) {
    proto::contact_policy policy;
    proto::contact_attempt call{policy};
    std::vector<contact_record> out;
    call.schedule(mon(9h), mon(9h), 5, proto::no_quiet_hours::instance(), out);
    call.due(mon(9h), out);
    // Another agent picked the call up.
    BOOST_TEST(call.result(contact_outcome::reached, mon(9h + 2min), 8, out));
    BOOST_TEST(call.state() == contact_state::reached);
    BOOST_TEST(out.back() == rec(mon(9h + 2min), contact_event::reached, 1, 8));
}

BOOST_AUTO_TEST_CASE(same_working_day_retry_uses_the_engine_instant) {
    proto::contact_policy policy;
    policy.retry = proto::retry_timing::same_working_day;
    policy.retry_after = 30min;
    proto::contact_attempt call{policy};
    std::vector<contact_record> out;
    call.schedule(mon(9h), mon(11h), 5, proto::no_quiet_hours::instance(), out);
    call.due(mon(11h), out);
    proto::retry_context ctx;
    ctx.same_day_retry_at = mon(16h);
    BOOST_TEST(call.result(contact_outcome::unreached, mon(11h + 5min), proto::no_agent, out, ctx));
    BOOST_TEST(out.back() ==
               rec(mon(11h + 5min), contact_event::retry_scheduled, 2, 5, {}, mon(16h)));
    // No instant left today: falls back to retry_after.
    call.due(mon(16h), out);
    BOOST_TEST(call.result(contact_outcome::unreached, mon(16h + 1min), 5, out));
    BOOST_TEST(out.back() ==
               rec(mon(16h + 1min), contact_event::retry_scheduled, 3, 5, {}, mon(16h + 31min)));
}

BOOST_AUTO_TEST_CASE(inputs_out_of_order_are_ignored) {
    proto::contact_policy policy;
    proto::contact_attempt call{policy};
    std::vector<contact_record> out;
    BOOST_TEST(!call.due(mon(9h), out));
    BOOST_TEST(!call.begin(mon(9h), 5, out));
    BOOST_TEST(!call.result(contact_outcome::reached, mon(9h), 5, out));
    BOOST_TEST(call.schedule(mon(9h), mon(10h), 5, proto::no_quiet_hours::instance(), out));
    BOOST_TEST(!call.schedule(mon(9h), mon(10h), 5, proto::no_quiet_hours::instance(), out));
    BOOST_TEST(!call.result(contact_outcome::reached, mon(9h + 30min), 5, out));
    BOOST_TEST(!call.begin(mon(9h + 30min), 5, out));
    BOOST_TEST(call.state() == contact_state::scheduled);
    BOOST_TEST(out.size() == 1u);
    BOOST_TEST(sizeof(proto::contact_attempt) <= 24u);
}

BOOST_AUTO_TEST_CASE(next_agent_choice) {
    const std::vector<agent_id> r{7, 11, 13};
    BOOST_TEST(proto::next_agent(r.data(), r.size(), 7) == 11u);
    BOOST_TEST(proto::next_agent(r.data(), r.size(), 13) == 7u);
    // Not in the roster: the first one.
    BOOST_TEST(proto::next_agent(r.data(), r.size(), 99) == 7u);
    // Duplicates are skipped; nobody else: the same agent.
    const std::vector<agent_id> d{5, 5, 6};
    BOOST_TEST(proto::next_agent(d.data(), d.size(), 5) == 6u);
    BOOST_TEST(proto::next_agent(d.data(), d.size(), 6) == 5u);
    const std::vector<agent_id> alone{5};
    BOOST_TEST(proto::next_agent(alone.data(), alone.size(), 5) == 5u);
    BOOST_TEST(proto::next_agent(nullptr, 0, 5) == 5u);
}

BOOST_AUTO_TEST_CASE(policy_validation) {
    proto::contact_policy policy;
    policy.max_attempts = 0;
    BOOST_CHECK_THROW(policy.validate(), caseflow::usage_error);
    policy.max_attempts = 2;
    policy.retry_after = -1min;
    BOOST_CHECK_THROW(policy.validate(), caseflow::usage_error);
}
