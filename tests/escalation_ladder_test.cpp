// The escalation ladder protocol: immediate escalation by rule, re-escalation
// when overdue up to the top, handling, ignored inputs.
#define BOOST_TEST_MODULE escalation_ladder
#include <boost/test/unit_test.hpp>

#include <optional>
#include <ostream>
#include <vector>

#include "caseflow/error.hpp"
#include "caseflow/time.hpp"
#include "support/protocol_time.hpp"
#include "protocols/escalation_ladder.hpp"

using namespace std::chrono_literals;
using caseflow::duration;
using caseflow::instant;
namespace proto = caseflow::protocols;
using proto::escalation_event;
using proto::escalation_record;
using proto::escalation_state;
using proto::level_index;
using proto::no_level;

namespace caseflow::protocols {
std::ostream& operator<<(std::ostream& os, escalation_state s) { return os << to_string(s); }
std::ostream& operator<<(std::ostream& os, const escalation_record& r) {
    return os << "{" << r.at.time_since_epoch().count() << "ms " << to_string(r.kind)
              << " level " << int(r.level) << " from " << int(r.from) << " due "
              << r.due.time_since_epoch().count() << "}";
}
}  // namespace caseflow::protocols


namespace {


constexpr level_index agent = 0, supervisor = 1, manager = 2;

proto::escalation_policy three_levels() {
    proto::escalation_policy p;
    p.levels = {{"agent", 30min}, {"supervisor", 2h}, {"department_manager", 4h}};
    p.validate();
    return p;
}

escalation_record rec(instant at, escalation_event kind, level_index level, level_index from,
                      instant due = {}) {
    return escalation_record{at, kind, level, from, due};
}

}  // namespace

BOOST_AUTO_TEST_CASE(overdue_climbs_level_by_level_to_the_top) {
    const auto policy = three_levels();
    proto::escalation_ladder ladder{policy};
    std::vector<escalation_record> out;

    // 09:00 to the agent, within 30 min: overdue at 09:30.
    BOOST_TEST(ladder.escalate_to(agent, mon(9h), out));
    BOOST_TEST(ladder.state() == escalation_state::escalated);
    BOOST_TEST(ladder.next_due() == std::optional<instant>{mon(9h + 30min)});
    // An early timer changes nothing.
    BOOST_TEST(!ladder.overdue(mon(9h + 29min), out));

    // 09:30 overdue: supervisor, within 2h -> 11:30.
    BOOST_TEST(ladder.overdue(mon(9h + 30min), out));
    BOOST_TEST(ladder.level() == supervisor);
    BOOST_TEST(ladder.next_due() == std::optional<instant>{mon(11h + 30min)});

    // 11:40 overdue (timer late): manager, within 4h from 11:40 -> 15:40.
    BOOST_TEST(ladder.overdue(mon(11h + 40min), out));
    BOOST_TEST(ladder.level() == manager);
    BOOST_TEST(ladder.next_due() == std::optional<instant>{mon(15h + 40min)});

    // 15:40 overdue at the top: stays, nothing more is due.
    BOOST_TEST(ladder.overdue(mon(15h + 40min), out));
    BOOST_TEST(ladder.state() == escalation_state::top_reached);
    BOOST_TEST(ladder.level() == manager);
    BOOST_TEST(ladder.next_due() == std::optional<instant>{});
    BOOST_TEST(!ladder.overdue(mon(20h), out));

    BOOST_TEST(ladder.handled(mon(21h), out));
    BOOST_TEST(ladder.state() == escalation_state::handled);

    const std::vector<escalation_record> expected{
        rec(mon(9h), escalation_event::escalated, agent, no_level, mon(9h + 30min)),
        rec(mon(9h + 30min), escalation_event::re_escalated, supervisor, agent, mon(11h + 30min)),
        rec(mon(11h + 40min), escalation_event::re_escalated, manager, supervisor,
            mon(15h + 40min)),
        rec(mon(15h + 40min), escalation_event::top_reached, manager, manager),
        rec(mon(21h), escalation_event::handled, manager, manager),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(major_complaint_jumps_straight_to_the_manager) {
    const auto policy = three_levels();
    proto::escalation_ladder ladder{policy};
    std::vector<escalation_record> out;
    const level_index to = *policy.find("department_manager");
    BOOST_TEST(ladder.escalate_to(to, mon(10h), out, 0min));
    BOOST_TEST(ladder.level() == manager);
    BOOST_TEST(ladder.next_due() == std::optional<instant>{mon(10h)});
    // A lower (or equal) level cannot overrule it.
    BOOST_TEST(!ladder.escalate_to(supervisor, mon(10h), out));
    BOOST_TEST(!ladder.escalate_to(manager, mon(10h), out));
    BOOST_TEST(ladder.handled(mon(10h + 5min), out));
    const std::vector<escalation_record> expected{
        rec(mon(10h), escalation_event::escalated, manager, no_level, mon(10h)),
        rec(mon(10h + 5min), escalation_event::handled, manager, manager),
    };
    BOOST_TEST(out == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rule_escalates_higher_while_escalated) {
    const auto policy = three_levels();
    proto::escalation_ladder ladder{policy};
    std::vector<escalation_record> out;
    ladder.escalate_to(agent, mon(9h), out);
    BOOST_TEST(ladder.escalate_to(supervisor, mon(9h + 10min), out));
    BOOST_TEST(out.back() ==
               rec(mon(9h + 10min), escalation_event::escalated, supervisor, agent, mon(11h + 10min)));
    // From top_reached a rule can still not go higher than the top.
    ladder.overdue(mon(11h + 10min), out);  // -> manager
    ladder.overdue(mon(15h + 10min), out);  // -> top reached
    BOOST_TEST(ladder.state() == escalation_state::top_reached);
    BOOST_TEST(!ladder.escalate_to(manager, mon(16h), out));
}

BOOST_AUTO_TEST_CASE(escalating_again_after_handled_starts_fresh) {
    const auto policy = three_levels();
    proto::escalation_ladder ladder{policy};
    std::vector<escalation_record> out;
    ladder.escalate_to(supervisor, mon(9h), out);
    ladder.handled(mon(9h + 10min), out);
    BOOST_TEST(!ladder.overdue(mon(12h), out));
    BOOST_TEST(!ladder.handled(mon(12h), out));
    BOOST_TEST(ladder.next_due() == std::optional<instant>{});
    // A lower level is fine after handling: it is a new escalation.
    BOOST_TEST(ladder.escalate_to(agent, mon(13h), out));
    BOOST_TEST(out.back() == rec(mon(13h), escalation_event::escalated, agent, no_level,
                                 mon(13h + 30min)));
}

BOOST_AUTO_TEST_CASE(ignored_inputs_when_idle) {
    const auto policy = three_levels();
    proto::escalation_ladder ladder{policy};
    std::vector<escalation_record> out;
    BOOST_TEST(!ladder.handled(mon(9h), out));
    BOOST_TEST(!ladder.overdue(mon(9h), out));
    BOOST_TEST(ladder.state() == escalation_state::idle);
    BOOST_TEST(ladder.level() == no_level);
    BOOST_TEST(out.empty());
    BOOST_TEST(sizeof(proto::escalation_ladder) <= 24u);
}

BOOST_AUTO_TEST_CASE(within_is_counted_by_the_policy_measure) {
    // A toy measure in which counted time runs at half speed.
    struct half_speed final : proto::time_measure {
        duration elapsed(instant a, instant b) const override { return (b - a) / 2; }
        instant add(instant from, duration d) const override { return from + 2 * d; }
    };
    const half_speed measure;
    auto policy = three_levels();
    policy.measure = &measure;
    proto::escalation_ladder ladder{policy};
    std::vector<escalation_record> out;
    ladder.escalate_to(agent, mon(9h), out);
    BOOST_TEST(ladder.next_due() == std::optional<instant>{mon(10h)});
}

BOOST_AUTO_TEST_CASE(policy_and_argument_errors) {
    proto::escalation_policy empty;
    BOOST_CHECK_THROW(empty.validate(), caseflow::usage_error);
    proto::escalation_policy twice;
    twice.levels = {{"agent", 1h}, {"agent", 2h}};
    BOOST_CHECK_THROW(twice.validate(), caseflow::usage_error);
    try {
        twice.validate();
    } catch (const caseflow::usage_error& e) {
        BOOST_TEST(std::string(e.what()) == "escalation level 'agent' appears twice");
    }
    proto::escalation_policy negative;
    negative.levels = {{"agent", -1h}};
    BOOST_CHECK_THROW(negative.validate(), caseflow::usage_error);

    const auto policy = three_levels();
    BOOST_TEST(!policy.find("director").has_value());
    BOOST_TEST(*policy.find("supervisor") == supervisor);
    proto::escalation_ladder ladder{policy};
    std::vector<escalation_record> out;
    BOOST_CHECK_THROW(ladder.escalate_to(3, mon(9h), out), caseflow::usage_error);
    BOOST_CHECK_THROW(ladder.escalate_to(agent, mon(9h), out, -1min), caseflow::usage_error);
    BOOST_TEST(ladder.state() == escalation_state::idle);
}
