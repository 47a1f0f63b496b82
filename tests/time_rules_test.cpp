// Time in the rule language, end to end through the engine: business-day SLA
// targets over China's National Day week, warnings, pause/resume, deadlines
// and their phrases, quiet hours, a DST zone, escalation ladders, retries.
// Every expected instant below was worked out by hand from the 2026 calendar
// (office: Mon-Fri 08:15-17:15, quiet 12:00-14:00 and 21:00-09:00, National
// Day 1-7 Oct, make-up working Saturday 10 Oct); the arithmetic is in comments.
#define BOOST_TEST_MODULE time_rules
#include <boost/test/unit_test.hpp>

#include "caseflow/caseflow.hpp"

using namespace caseflow;
using namespace std::chrono_literals;

namespace {

const std::string calendars = std::string(CASEFLOW_SOURCE_DIR) + "/rules/calendars";

instant at(const char* text) { return *parse_instant(text); }

struct run {
    engine eng;
    std::vector<action> actions;
    explicit run(const std::string& yaml) : eng(load_rules_from_string(yaml, "t.yaml", calendars)) {
        eng.on_action([this](const action& a) { actions.push_back(a); });
    }
    std::vector<history_entry> of(const char* kind, case_id c) {
        std::vector<history_entry> out;
        for (auto& e : eng.history(c))
            if (to_string(e.kind) == kind) out.push_back(e);
        return out;
    }
    std::vector<std::string> subjects(const char* kind, case_id c) {
        std::vector<std::string> out;
        for (auto& e : of(kind, c)) out.push_back(e.subject + " " + format_instant(e.at));
        return out;
    }
};

using strings = std::vector<std::string>;

// An action as the by-id/by-name comparisons list them: "case local-time
// kind k=v ...", in Beijing time.
std::string line_of(const action& a) {
    std::string line = a.case_id + " " + format_instant(a.at, 480) + " " + std::string(to_string(a.kind));
    for (const auto& [k, v] : a.params) line += " " + k + "=" + v;
    return line;
}

const char* sla_rules = R"(
workflow: w
calendar: office
events: [wait, resume, done]
slas:
  resolution:
    target: 3 business_days
    warn_at: [50%, 75%]
    pause: { in: [waiting] }
    stop: { enter: [closed] }
    on_breach: [ { notify: supervisor } ]
initial: open
states:
  open: { on: { wait: waiting, done: closed } }
  waiting: { on: { resume: open } }
  closed: { final: true }
)";

}  // namespace

BOOST_AUTO_TEST_CASE(three_business_days_over_national_day_is_the_make_up_saturday) {
    // Opened Wed 30 Sep 16:00: 1h15 that day, then Thu 8 Oct, Fri 9 Oct and the
    // make-up Sat 10 Oct (1-7 Oct are holidays) -> due Sat 10 Oct 16:00.
    // 3 business days = 27 working hours; 50% = 13h30: 1h15 (30 Sep) + 9h (8 Oct)
    // + 3h15 -> Fri 9 Oct 11:30; 75% = 20h15: 1h15 + 9h + 9h + 1h -> Sat 10 Oct 09:15.
    run r(sla_rules);
    auto c = r.eng.open("w", {}, at("2026-09-30T16:00:00+08:00"), "C-1");
    r.eng.advance_to(at("2026-10-10T15:59:59+08:00"));
    BOOST_TEST(r.subjects("sla", c) == (strings{"resolution started 2026-09-30T08:00:00Z",
                                                "resolution warned 2026-10-09T03:30:00Z",
                                                "resolution warned 2026-10-10T01:15:00Z"}),
               boost::test_tools::per_element());
    BOOST_TEST(r.actions.empty());  // not breached a second early
    r.eng.advance_to(at("2026-10-10T16:00:00+08:00"));
    BOOST_TEST(r.subjects("sla", c).back() == "resolution breached 2026-10-10T08:00:00Z");
    BOOST_TEST_REQUIRE(r.actions.size() == 1u);
    BOOST_TEST(r.actions[0].param("to") == "supervisor");
    BOOST_TEST(r.actions[0].param("sla") == "resolution");
    BOOST_TEST(r.actions[0].param("percent") == "100");
    BOOST_TEST(format_instant(r.actions[0].at, 480) == "2026-10-10T16:00:00+08:00");
}

BOOST_AUTO_TEST_CASE(paused_time_does_not_count_and_the_due_instant_moves) {
    // Opened Mon 12 Oct 09:00; waiting from 10:00 (1h counted) to Tue 13 Oct
    // 09:15; 26h left = 8h on Tue (09:15-17:15) + 9h Wed + 9h Thu -> Thu 15 Oct 17:15.
    run r(sla_rules);
    auto c = r.eng.open("w", {}, at("2026-10-12T09:00:00+08:00"));
    r.eng.dispatch(c, "wait", {}, at("2026-10-12T10:00:00+08:00"));
    r.eng.dispatch(c, "resume", {}, at("2026-10-13T09:15:00+08:00"));
    auto sla = r.of("sla", c);
    BOOST_TEST_REQUIRE(sla.size() == 3u);
    BOOST_TEST(sla[1].subject == "resolution paused");
    BOOST_TEST(sla[1].field("elapsed") == "1h");
    BOOST_TEST(sla[2].subject == "resolution resumed");
    r.eng.advance_to(at("2026-10-15T17:14:00+08:00"));
    BOOST_TEST(r.actions.empty());
    r.eng.advance_to(at("2026-10-15T17:15:00+08:00"));
    BOOST_TEST(r.subjects("sla", c).back() == "resolution breached 2026-10-15T09:15:00Z");
}

BOOST_AUTO_TEST_CASE(stopping_in_time_is_met_and_cancels_the_timers) {
    run r(sla_rules);
    auto c = r.eng.open("w", {}, at("2026-10-12T09:00:00+08:00"));
    BOOST_TEST(r.eng.pending_timers() == 1u);  // the 50% warning
    r.eng.dispatch(c, "done", {}, at("2026-10-12T11:00:00+08:00"));
    BOOST_TEST(r.subjects("sla", c).back() == "resolution met 2026-10-12T03:00:00Z");
    BOOST_TEST(r.eng.pending_timers() == 0u);
    r.eng.advance_to(at("2026-12-31T00:00:00+08:00"));
    BOOST_TEST(r.actions.empty());
}

namespace {
const char* deadline_rules = R"(
workflow: d
calendar: studio
attributes:
  shoot_date:   date
  wedding_date: date
  proof_date:   date
  reply_at:     instant
events: [leave, go]
initial: waiting
states:
  waiting:
    deadlines:
      - { name: two_days, after: 2 business_days, actions: [ { record: two days } ] }
      - { name: gown, at: "5 days before shoot_date at 10:00", actions: [ { record: gown } ] }
      - { name: greeting, at: "on wedding_date at 09:00", actions: [ { record: greeting } ] }
      - { name: tenth_day, at: "10 days after proof_date", actions: [ { record: tenth day } ] }
      - { name: reply, at: reply_at, actions: [ { record: reply } ] }
      - { name: evening, at: "today at 18:00", actions: [ { record: evening } ] }
      - { name: closing, at: "end of working day", actions: [ { record: closing } ] }
    on: { leave: gone, go: daily }
  gone: {}
  daily:
    deadlines:
      - { name: digest, every: "working day at 18:00", actions: [ { record: digest } ] }
)";
}  // namespace

BOOST_AUTO_TEST_CASE(deadline_phrases_are_armed_at_the_hand_computed_instants) {
    run r(deadline_rules);
    // Entered Fri 16 Oct 17:00 (studio: office hours plus weekends 09:00-18:00).
    auto c = r.eng.open("d",
                        {{"shoot_date", "2026-10-25"}, {"wedding_date", "2026-11-08"}, {"proof_date", "2026-10-08"}},
                        at("2026-10-16T17:00:00+08:00"));
    std::vector<std::string> due;
    for (auto& e : r.of("timer_set", c)) due.push_back(e.subject + " " + std::string(e.field("due")));
    BOOST_TEST(due == (strings{
                          // 17:00 is inside Friday's 08:15-17:15; Sat 17 and Sun 18 are studio working days.
                          "two_days 2026-10-18T17:00:00+08:00",
                          "gown 2026-10-20T10:00:00+08:00",       // 25 Oct - 5 days
                          "greeting 2026-11-08T09:00:00+08:00",
                          "tenth_day 2026-10-18T09:00:00+08:00",  // Sun 18 Oct: the studio opens at 09:00
                          "evening 2026-10-16T18:00:00+08:00",
                          "closing 2026-10-16T17:15:00+08:00",
                      }),
               boost::test_tools::per_element());
    // reply_at is unset: not armed, and the history says why.
    bool noted = false;
    for (auto& e : r.of("note", c)) noted |= e.subject == "deadline 'reply' not armed: 'reply_at' has no value";
    BOOST_TEST(noted);
    // Fired in due order, never early.
    r.eng.advance_to(at("2026-10-16T17:14:59+08:00"));
    BOOST_TEST(r.actions.empty());
    r.eng.advance_to(at("2026-10-21T00:00:00+08:00"));
    std::vector<std::string> fired;
    for (auto& a : r.actions) fired.push_back(std::string(a.param("text")) + " " + format_instant(a.at, 480));
    BOOST_TEST(fired == (strings{"closing 2026-10-16T17:15:00+08:00", "evening 2026-10-16T18:00:00+08:00",
                                 "tenth day 2026-10-18T09:00:00+08:00", "two days 2026-10-18T17:00:00+08:00",
                                 "gown 2026-10-20T10:00:00+08:00"}),
               boost::test_tools::per_element());
    // Leaving the state cancels the rest: the greeting never fires.
    r.eng.dispatch(c, "leave", {}, at("2026-10-21T00:00:00+08:00"));
    BOOST_TEST(r.of("timer_cancelled", c).size() == 1u);
    r.eng.advance_to(at("2026-11-30T00:00:00+08:00"));
    BOOST_TEST(r.actions.size() == 5u);
}

BOOST_AUTO_TEST_CASE(today_at_after_that_time_is_tomorrow_and_every_working_day_follows_the_calendar) {
    run r(deadline_rules);
    auto c = r.eng.open("d", {}, at("2026-10-09T19:00:00+08:00"));
    std::string evening;
    for (auto& e : r.of("timer_set", c))
        if (e.subject == "evening") evening = std::string(e.field("due"));
    BOOST_TEST(evening == "2026-10-10T18:00:00+08:00");
    r.eng.dispatch(c, "go", {}, at("2026-10-09T19:00:00+08:00"));
    r.actions.clear();
    r.eng.advance_to(at("2026-10-13T00:00:00+08:00"));
    std::vector<std::string> fired;
    for (auto& a : r.actions) fired.push_back(format_instant(a.at, 480));
    // The studio works every day from Sat 10 Oct (make-up day) on.
    BOOST_TEST(fired == (strings{"2026-10-10T18:00:00+08:00", "2026-10-11T18:00:00+08:00", "2026-10-12T18:00:00+08:00"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(deadlines_of_many_cases_fire_in_due_order_ties_in_arming_order) {
    const char* rules = R"(
workflow: t
attributes: { due: instant }
initial: s
states:
  s: { deadlines: [ { at: due, actions: [ { record: "${due}" } ] } ] }
)";
    engine e(load_rules_from_string(rules, "t.yaml"));
    std::vector<std::string> order;
    e.on_action([&](const action& a) { order.push_back(a.case_id); });
    instant t0 = at("2026-10-12T00:00:00Z");
    e.open("t", {{"due", t0 + 3h}}, t0, "late");
    e.open("t", {{"due", t0 + 1h}}, t0, "tie-first");
    e.open("t", {{"due", t0 + 2h}}, t0, "middle");
    e.open("t", {{"due", t0 + 1h}}, t0, "tie-second");
    e.advance_to(t0 + 10h);
    BOOST_TEST(order == (strings{"tie-first", "tie-second", "middle", "late"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(calls_and_texts_wait_for_the_end_of_quiet_hours) {
    const char* rules = R"(
workflow: q
calendar: office
events: [ping]
initial: s
states:
  s:
    on:
      ping: { actions: [ { sms: "hello" } ] }
)";
    run r(rules);
    auto c = r.eng.open("q", {}, at("2026-10-12T22:30:00+08:00"));
    r.eng.dispatch(c, "ping", {}, at("2026-10-12T22:30:00+08:00"));  // quiet 21:00-09:00
    r.eng.advance_to(at("2026-10-13T08:59:00+08:00"));
    BOOST_TEST(r.actions.empty());
    r.eng.advance_to(at("2026-10-13T12:30:00+08:00"));
    r.eng.dispatch(c, "ping", {}, at("2026-10-13T12:30:00+08:00"));  // quiet 12:00-14:00
    r.eng.advance_to(at("2026-10-13T15:00:00+08:00"));
    BOOST_TEST_REQUIRE(r.actions.size() == 2u);
    BOOST_TEST(format_instant(r.actions[0].at, 480) == "2026-10-13T09:00:00+08:00");
    BOOST_TEST(r.actions[0].param("deferred_from") == "2026-10-12T22:30:00+08:00");
    BOOST_TEST(format_instant(r.actions[1].at, 480) == "2026-10-13T14:00:00+08:00");
    BOOST_TEST(r.subjects("timer_set", c).front() == "deferred sms (quiet hours) 2026-10-12T14:30:00Z");
}

// Closing a case drops the texts still waiting for quiet hours to end, on
// either dispatch path (by event id a closing step has a cell of its own).
BOOST_AUTO_TEST_CASE(closing_a_case_drops_its_deferred_texts) {
    const char* rules = R"(
workflow: q
calendar: office
events: [ping, finish]
initial: s
states:
  s:
    on:
      ping: { actions: [ { sms: "hello" } ] }
      finish: done
  done: { final: true }
)";
    for (const bool by_id : {false, true}) {
        run r(rules);
        auto c = r.eng.open("q", {}, at("2026-10-12T22:30:00+08:00"));
        r.eng.dispatch(c, "ping", {}, at("2026-10-12T22:30:00+08:00"));  // quiet 21:00-09:00: deferred to 09:00
        BOOST_TEST(r.eng.pending_timers() == 1u);
        const instant later = at("2026-10-12T23:00:00+08:00");
        BOOST_TEST(bool(by_id ? r.eng.dispatch(c, r.eng.event("q", "finish"), later) : r.eng.dispatch(c, "finish", {}, later)));
        BOOST_TEST(r.eng.closed(c));
        BOOST_TEST(r.eng.pending_timers() == 0u);
        r.eng.advance_to(at("2026-10-13T10:00:00+08:00"));
        BOOST_TEST(r.actions.empty(), "by id " << by_id);
        BOOST_TEST(r.subjects("timer_cancelled", c).size() == 1u);
    }
}

BOOST_AUTO_TEST_CASE(business_hours_across_a_dst_change) {
    // New York desk 09:00-17:00. Fri 6 Mar 2026 16:00 EST + 3 business hours:
    // 1h on Friday, then Mon 9 Mar (clocks went forward on Sun 8 Mar) 09:00 EDT + 2h
    // = 11:00 EDT = 15:00Z (it would be 16:00Z without the change).
    const char* rules = R"(
workflow: ny
calendar: us_east
initial: s
states:
  s: { deadlines: [ { after: 3 business_hours, actions: [ { record: due } ] } ] }
)";
    run r(rules);
    r.eng.open("ny", {}, at("2026-03-06T16:00:00-05:00"));
    r.eng.advance_to(at("2026-03-10T00:00:00Z"));
    BOOST_TEST_REQUIRE(r.actions.size() == 1u);
    BOOST_TEST(format_instant(r.actions[0].at) == "2026-03-09T15:00:00Z");
}

namespace {
const char* ladder_rules = R"(
workflow: e
calendar: office
events: [problem, handled, noted]
escalation:
  levels:
    - agent
    - { name: supervisor, within: 4 business_hours }
    - { name: department_manager, within: 1 business_days }
  handled_on: [handled]
initial: s
states:
  s:
    on:
      problem: { actions: [ { escalate: supervisor } ] }
      handled: {}
      noted: {}
)";
}  // namespace

BOOST_AUTO_TEST_CASE(an_escalation_not_handled_in_time_goes_up_the_ladder) {
    // Escalated to the supervisor Mon 12 Oct 15:00: 4 business hours = 2h15 on
    // Monday + 1h45 on Tuesday -> Tue 13 Oct 10:00, then the department manager
    // has 1 business day (9h): 7h15 on Tuesday + 1h45 -> Wed 14 Oct 10:00.
    run r(ladder_rules);
    auto c = r.eng.open("e", {}, at("2026-10-12T09:00:00+08:00"));
    r.eng.dispatch(c, "problem", {}, at("2026-10-12T15:00:00+08:00"));
    r.eng.advance_to(at("2026-10-15T00:00:00+08:00"));
    std::vector<std::string> got;
    for (auto& a : r.actions)
        got.push_back(std::string(a.param("to")) + " " + format_instant(a.at, 480) + " " + std::string(a.param("reason")));
    BOOST_TEST(got == (strings{"supervisor 2026-10-12T15:00:00+08:00 ",
                               "department_manager 2026-10-13T10:00:00+08:00 not handled in time"}),
               boost::test_tools::per_element());
    BOOST_TEST(r.subjects("escalation", c).back() == "top_reached 2026-10-14T02:00:00Z");
}

BOOST_AUTO_TEST_CASE(a_handled_escalation_stops_climbing) {
    run r(ladder_rules);
    auto c = r.eng.open("e", {}, at("2026-10-12T09:00:00+08:00"));
    r.eng.dispatch(c, "problem", {}, at("2026-10-12T15:00:00+08:00"));
    r.eng.dispatch(c, "handled", {}, at("2026-10-13T09:00:00+08:00"));
    r.eng.advance_to(at("2026-10-20T00:00:00+08:00"));
    BOOST_TEST(r.actions.size() == 1u);
    BOOST_TEST(r.subjects("escalation", c).back() == "handled 2026-10-13T01:00:00Z");
}

BOOST_AUTO_TEST_CASE(events_sent_by_id_reach_the_ladder_only_when_they_handle_it) {
    // `noted` and `handled` are both plain internal steps, the kind the
    // dispatch fast path runs without the interpreter; only `handled` ends
    // the escalation.
    run r(ladder_rules);
    const auto handled = r.eng.event("e", "handled");
    const auto noted = r.eng.event("e", "noted");
    auto c = r.eng.open("e", {}, at("2026-10-12T09:00:00+08:00"));
    auto d = r.eng.open("e", {}, at("2026-10-12T09:00:00+08:00"));
    r.eng.dispatch(c, "problem", {}, at("2026-10-12T15:00:00+08:00"));
    r.eng.dispatch(d, "problem", {}, at("2026-10-12T15:00:00+08:00"));
    BOOST_TEST(bool(r.eng.dispatch(c, noted, at("2026-10-12T16:00:00+08:00"))));
    BOOST_TEST(bool(r.eng.dispatch(c, handled, at("2026-10-13T09:00:00+08:00"))));
    BOOST_TEST(bool(r.eng.dispatch(d, noted, at("2026-10-13T09:00:00+08:00"))));
    r.eng.advance_to(at("2026-10-20T00:00:00+08:00"));
    BOOST_TEST(r.subjects("escalation", c).back() == "handled 2026-10-13T01:00:00Z");
    // d was only noted: it climbs as in the test above (Tue 10:00, then top).
    BOOST_TEST(r.subjects("escalation", d).back() == "top_reached 2026-10-14T02:00:00Z");
    BOOST_TEST(r.actions.size() == 3u);  // supervisor twice, department manager once (for d)
}

// A step whose transition has actions, sent by id, runs them as the
// interpreter does: in the state left, before the move, texts and calls
// waiting for the end of quiet hours, linked cases opened.  An escalation to a
// ladder level by an event that also handles it, and a target with eventless
// transitions, are the interpreter's.
BOOST_AUTO_TEST_CASE(steps_with_actions_sent_by_id_act_as_the_interpreter) {
    const char* rules = R"(
workflow: a
calendar: office
attributes: { n: { type: int, default: 0 } }
events: [tell, text, raise, spawn, nudge, ring]
escalation:
  levels: [ agent, { name: supervisor, within: 4 business_hours } ]
  handled_on: [raise]
initial: s
states:
  s:
    on:
      tell:
        target: t
        actions:
          - notify: { to: lead, message: "n was ${n}" }
          - set: { n: "n + 1" }
          - { record: big, when: "n > 0" }
          - { record: huge, when: "n > 1" }
      text: { target: t, actions: [ { sms: hello } ] }
      raise: { target: t, actions: [ { escalate: supervisor } ] }
      spawn: { target: t, actions: [ { open_case: a } ] }
      nudge: { target: w, actions: [ { set: { n: "n + 1" } } ] }
      ring: { target: t, actions: [ { call: { to: customer, agent: A01, attempts: 2 } } ] }
  t: {}
  w:
    always: [ { guard: "n > 0", target: x } ]
  x: {}
)";
    const char* const events[] = {"tell", "text", "raise", "spawn", "nudge", "ring"};
    struct outcome {
        strings actions, states, ladder;
        std::string timeline;
    };
    auto play = [&](bool by_id) {
        engine eng{load_rules_from_string(rules, "t.yaml", calendars), engine_options{true, 100}};
        outcome o;
        eng.on_action([&](const action& a) { o.actions.push_back(line_of(a) + " in " + eng.state(eng.find(a.case_id))); });
        std::vector<case_id> cs;
        for (const char* e : events) cs.push_back(eng.open("a", {}, at("2026-10-12T22:00:00+08:00"), std::string("C-") + e));
        const instant t = at("2026-10-12T22:30:00+08:00");  // quiet hours until 09:00
        for (std::size_t i = 0; i < cs.size(); ++i)
            BOOST_TEST(bool(by_id ? eng.dispatch(cs[i], eng.event("a", events[i]), t) : eng.dispatch(cs[i], events[i], {}, t)));
        eng.advance_to(at("2026-10-13T09:30:00+08:00"));
        for (case_id c : cs) o.states.push_back(std::string(eng.state(c)) + " n=" + eng.attribute(c, "n").to_string());
        o.states.push_back(std::to_string(eng.case_count()) + " cases");
        for (const auto& h : eng.history(cs[2]))
            if (to_string(h.kind) == std::string("escalation")) o.ladder.push_back(h.subject + " " + format_instant(h.at, 480));
        o.timeline = to_string(eng.timeline());
        return o;
    };
    const outcome named = play(false), fast = play(true);
    BOOST_TEST(named.actions == (strings{"C-tell 2026-10-12T22:30:00+08:00 notify to=lead message=n was 0 in s",
                                         "C-tell 2026-10-12T22:30:00+08:00 set n=1 in s",
                                         "C-tell 2026-10-12T22:30:00+08:00 record text=big in s",
                                         "C-raise 2026-10-12T22:30:00+08:00 escalate to=supervisor in s",
                                         "C-spawn 2026-10-12T22:30:00+08:00 open_case workflow=a case=C-spawn/1 in s",
                                         "C-nudge 2026-10-12T22:30:00+08:00 set n=1 in s",
                                         "C-text 2026-10-13T09:00:00+08:00 sms message=hello deferred_from=2026-10-12T22:30:00+08:00 in t",
                                         "C-ring 2026-10-13T09:00:00+08:00 call to=customer agent=A01 in t"}),
               boost::test_tools::per_element());
    BOOST_TEST(named.states == (strings{"t n=1", "t n=0", "t n=0", "t n=0", "x n=1", "t n=0", "7 cases"}),
               boost::test_tools::per_element());
    // `raise` escalates and, in handled_on, ends the escalation at once.
    BOOST_TEST(named.ladder == (strings{"escalated 2026-10-12T22:30:00+08:00", "handled 2026-10-12T22:30:00+08:00"}),
               boost::test_tools::per_element());
    BOOST_TEST(fast.ladder == named.ladder, boost::test_tools::per_element());
    BOOST_TEST(fast.actions == named.actions, boost::test_tools::per_element());
    BOOST_TEST(fast.states == named.states, boost::test_tools::per_element());
    BOOST_TEST(fast.timeline == named.timeline);
}

// Steps into and out of states with deadlines, sent by id, skip the general
// interpreter (step::timed); they must cancel and arm exactly as it does.
BOOST_AUTO_TEST_CASE(steps_past_deadlines_sent_by_id_act_as_the_interpreter) {
    const char* rules = R"(
workflow: d
calendar: office
attributes: { n: { type: int, default: 0 }, promised: instant }
events: [go, back, inside, stay, out, promise]
initial: a
states:
  a:
    deadlines: [ { name: a_due, after: 2h, event: go } ]
    on:
      go:
        target: b
        actions: [ { set: { n: "n + 1" } }, { notify: { to: lead, message: "n is ${n}" } } ]
      inside: inner
      promise: { target: p, set: { promised: "now + 70m" } }
  b:
    deadlines:
      - { name: b_reply, after: 1 business_days, actions: [ { record: b late } ] }
      - { name: b_tick, every: "working day at 18:00", actions: [ { record: tick } ] }
    on: { back: a }
  g:
    initial: inner
    deadlines: [ { name: g_due, after: 3h, actions: [ { record: g late } ] } ]
    on: { out: a }
    states:
      inner:
        deadlines: [ { name: inner_due, after: 45m, actions: [ { record: inner late } ] } ]
        on: { stay: other }
      other: {}
  p:
    deadlines: [ { name: promised, at: promised, event: back } ]
    on: { back: a }
)";
    struct outcome {
        strings actions, states, timers;
        std::size_t pending = 0;
        std::string timeline;
    };
    auto play = [&](bool by_id, bool history) {
        engine eng{load_rules_from_string(rules, "d.yaml", calendars), engine_options{history, 100}};
        outcome o;
        eng.on_action([&](const action& a) { o.actions.push_back(line_of(a) + " in " + eng.state(eng.find(a.case_id))); });
        const case_id c = eng.open("d", {}, at("2026-10-12T10:00:00+08:00"), "C");  // a Monday
        const case_id p = eng.open("d", {}, at("2026-10-12T10:00:00+08:00"), "P");
        auto send = [&](case_id k, const char* e, const char* t) {
            BOOST_TEST(bool(by_id ? eng.dispatch(k, eng.event("d", e), at(t)) : eng.dispatch(k, e, {}, at(t))));
        };
        send(p, "promise", "2026-10-12T10:10:00+08:00");
        send(c, "go", "2026-10-12T10:30:00+08:00");
        send(c, "back", "2026-10-12T11:00:00+08:00");
        send(c, "inside", "2026-10-12T11:30:00+08:00");
        send(c, "stay", "2026-10-12T11:45:00+08:00");
        send(c, "out", "2026-10-12T15:10:00+08:00");
        eng.advance_to(at("2026-10-12T17:30:00+08:00"));
        for (case_id k : {c, p}) o.states.push_back(std::string(eng.state(k)) + " n=" + eng.attribute(k, "n").to_string());
        o.pending = eng.pending_timers();
        if (history) {
            for (const auto& h : eng.history(c))
                if (h.kind == record_kind::timer_set || h.kind == record_kind::timer_cancelled || h.kind == record_kind::timer_fired)
                    o.timers.push_back(std::string(to_string(h.kind)) + " " + h.subject + " " + format_instant(h.at, 480) +
                                       (h.kind == record_kind::timer_set ? " due " + std::string(h.field("due")) : ""));
            o.timeline = to_string(eng.timeline());
        }
        return o;
    };
    const outcome named = play(false, true);
    // C: a -go-> b -back-> a -inside-> g/inner -stay-> g/other, g_due fires
    // at 14:30, -out-> a, whose a_due (17:10) sends go again.  P: the
    // promise's deadline (10:10 + 70m) sends back; a_due (13:20) sends go.
    // 1 business_days from Monday 10:30 (office: 08:15-17:15) is Tuesday 10:30.
    BOOST_TEST(named.actions == (strings{"P 2026-10-12T10:10:00+08:00 set promised=2026-10-12T11:20:00+08:00 in a",
                                         "C 2026-10-12T10:30:00+08:00 set n=1 in a",
                                         "C 2026-10-12T10:30:00+08:00 notify to=lead message=n is 1 in a",
                                         "P 2026-10-12T13:20:00+08:00 set n=1 in a",
                                         "P 2026-10-12T13:20:00+08:00 notify to=lead message=n is 1 in a",
                                         "C 2026-10-12T14:30:00+08:00 record text=g late in other",
                                         "C 2026-10-12T17:10:00+08:00 set n=2 in a",
                                         "C 2026-10-12T17:10:00+08:00 notify to=lead message=n is 2 in a"}),
               boost::test_tools::per_element());
    BOOST_TEST(named.states == (strings{"b n=2", "b n=1"}), boost::test_tools::per_element());
    BOOST_TEST(named.pending == 4u);  // b_reply and b_tick of each
    BOOST_TEST(named.timers == (strings{"timer_set a_due 2026-10-12T10:00:00+08:00 due 2026-10-12T12:00:00+08:00",
                                        "timer_cancelled a_due 2026-10-12T10:30:00+08:00",
                                        "timer_set b_reply 2026-10-12T10:30:00+08:00 due 2026-10-13T10:30:00+08:00",
                                        "timer_set b_tick 2026-10-12T10:30:00+08:00 due 2026-10-12T18:00:00+08:00",
                                        "timer_cancelled b_tick 2026-10-12T11:00:00+08:00",
                                        "timer_cancelled b_reply 2026-10-12T11:00:00+08:00",
                                        "timer_set a_due 2026-10-12T11:00:00+08:00 due 2026-10-12T13:00:00+08:00",
                                        "timer_cancelled a_due 2026-10-12T11:30:00+08:00",
                                        "timer_set g_due 2026-10-12T11:30:00+08:00 due 2026-10-12T14:30:00+08:00",
                                        "timer_set inner_due 2026-10-12T11:30:00+08:00 due 2026-10-12T12:15:00+08:00",
                                        "timer_cancelled inner_due 2026-10-12T11:45:00+08:00",
                                        "timer_fired g_due 2026-10-12T14:30:00+08:00",
                                        "timer_set a_due 2026-10-12T15:10:00+08:00 due 2026-10-12T17:10:00+08:00",
                                        "timer_fired a_due 2026-10-12T17:10:00+08:00",
                                        "timer_set b_reply 2026-10-12T17:10:00+08:00 due 2026-10-13T17:10:00+08:00",
                                        "timer_set b_tick 2026-10-12T17:10:00+08:00 due 2026-10-12T18:00:00+08:00"}),
               boost::test_tools::per_element());
    for (const bool history : {true, false}) {
        const outcome fast = play(true, history);
        BOOST_TEST(fast.actions == named.actions, boost::test_tools::per_element());
        BOOST_TEST(fast.states == named.states, boost::test_tools::per_element());
        BOOST_TEST(fast.pending == named.pending);
        if (history) {
            BOOST_TEST(fast.timers == named.timers, boost::test_tools::per_element());
            BOOST_TEST(fast.timeline == named.timeline);
        }
    }
}

// A close sent by id is done inline when nothing is left to wind down; a
// deferred action, a tracked call's retry or a running escalation must still
// be stopped by the library, as the interpreter does.
BOOST_AUTO_TEST_CASE(closes_sent_by_id_wind_down_as_the_interpreter) {
    const char* rules = R"(
workflow: z
calendar: office
events: [finish, text, ring, raise]
escalation:
  levels: [ agent, { name: supervisor, within: 1 business_hours } ]
initial: open
states:
  open:
    on:
      finish: done
      text: { actions: [ { sms: hello } ] }
      ring: { actions: [ { call: { to: customer, agent: A01, attempts: 3 } } ] }
      raise: { actions: [ { escalate: supervisor } ] }
  done: { final: true }
)";
    const char* const names[] = {"plain", "text", "ring", "raise"};
    struct outcome {
        strings actions;
        std::size_t pending = 0;
        std::string timeline;
    };
    auto play = [&](bool by_id, bool history) {
        engine eng{load_rules_from_string(rules, "z.yaml", calendars), engine_options{history, 100}};
        outcome o;
        eng.on_action([&](const action& a) { o.actions.push_back(line_of(a)); });
        std::vector<case_id> cs;
        for (const char* n : names) cs.push_back(eng.open("z", {}, at("2026-10-12T09:00:00+08:00"), n));  // a Monday
        auto send = [&](case_id k, const char* e, const char* t) {
            BOOST_TEST(bool(by_id ? eng.dispatch(k, eng.event("z", e), at(t)) : eng.dispatch(k, e, {}, at(t))));
        };
        send(cs[2], "ring", "2026-10-12T10:00:00+08:00");
        send(cs[3], "raise", "2026-10-12T10:00:00+08:00");
        // Unreached twice: retried an hour later, at 11:05, then due at 12:10,
        // in the midday quiet hours, so deferred to 14:00, after the close.
        eng.contact_result(cs[2], contact_outcome::unreached, "A01", at("2026-10-12T10:05:00+08:00"));
        eng.contact_result(cs[2], contact_outcome::unreached, "A01", at("2026-10-12T11:10:00+08:00"));
        send(cs[1], "text", "2026-10-12T12:30:00+08:00");  // midday quiet hours: deferred to 14:00
        for (case_id k : cs) send(k, "finish", "2026-10-12T12:45:00+08:00");
        for (case_id k : cs) BOOST_TEST(eng.closed(k));
        o.pending = eng.pending_timers();
        eng.advance_to(at("2026-10-13T18:00:00+08:00"));  // nothing left to fire
        if (history) o.timeline = to_string(eng.timeline());
        return o;
    };
    const outcome named = play(false, true);
    BOOST_TEST(named.actions == (strings{"ring 2026-10-12T10:00:00+08:00 call to=customer agent=A01",
                                         "raise 2026-10-12T10:00:00+08:00 escalate to=supervisor",
                                         "ring 2026-10-12T11:05:00+08:00 call to=customer agent=A01"}),
               boost::test_tools::per_element());
    BOOST_TEST(named.pending == 0u);
    for (const bool history : {true, false}) {
        const outcome fast = play(true, history);
        BOOST_TEST(fast.actions == named.actions, boost::test_tools::per_element());
        BOOST_TEST(fast.pending == 0u);
        if (history) BOOST_TEST(fast.timeline == named.timeline);
    }
}

BOOST_AUTO_TEST_CASE(unreached_calls_are_retried_the_same_day_by_another_agent_then_given_up) {
    const char* rules = R"(
workflow: c
calendar: office
attributes: { owner: { type: string, default: A01 } }
events: [contact_given_up, contact_reached]
initial: calling
states:
  calling:
    entry:
      - call: { to: customer, agent: "${owner}", pool: "A01, A02, A03", attempts: 3, retry: same_working_day, other_agent: true }
    on:
      contact_given_up: { target: lost, actions: [ { record: not reached } ] }
      contact_reached: done
  lost: { final: true }
  done: { final: true }
)";
    run r(rules);
    auto c = r.eng.open("c", {}, at("2026-10-12T10:00:00+08:00"));
    r.eng.contact_result(c, contact_outcome::unreached, "A01", at("2026-10-12T10:05:00+08:00"));
    // An hour later, by the next agent: 11:05 by A02.
    r.eng.advance_to(at("2026-10-12T11:05:00+08:00"));
    r.eng.contact_result(c, contact_outcome::unreached, "A02", at("2026-10-12T11:10:00+08:00"));
    // 12:10 is in the midday quiet hours (12:00-14:00): deferred to 14:00, by A03.
    r.eng.advance_to(at("2026-10-12T14:00:00+08:00"));
    r.eng.contact_result(c, contact_outcome::unreached, "A03", at("2026-10-12T14:05:00+08:00"));
    std::vector<std::string> calls;
    for (auto& a : r.actions)
        if (a.kind == action_kind::call) calls.push_back(std::string(a.param("agent")) + " " + format_instant(a.at, 480));
        else calls.push_back(std::string(to_string(a.kind)) + " " + std::string(a.param("text")));
    BOOST_TEST(calls == (strings{"A01 2026-10-12T10:00:00+08:00", "A02 2026-10-12T11:05:00+08:00",
                                 "A03 2026-10-12T14:00:00+08:00", "record not reached"}),
               boost::test_tools::per_element());
    BOOST_TEST(r.eng.state(c) == "lost");
    BOOST_CHECK_THROW(r.eng.contact_result(c, contact_outcome::reached, "A01", at("2026-10-12T15:00:00+08:00")), usage_error);
}

BOOST_AUTO_TEST_CASE(time_rule_errors_are_positioned) {
    auto error_of = [](const std::string& yaml) {
        try {
            load_rules_from_string(yaml, "t.yaml", calendars);
        } catch (const rule_error& e) {
            return std::string(e.what());
        }
        return std::string("loaded");
    };
    BOOST_TEST(error_of("workflow: w\ncalendar: ofice\ninitial: s\nstates: { s: {} }\n") ==
               "t.yaml:2:11: unknown calendar 'ofice' (did you mean 'office'?); expected one of: office, studio, us_east");
    BOOST_TEST(error_of("workflow: w\ninitial: s\nstates:\n  s: { deadlines: [ { after: 3 business_days, actions: [ { record: x } ] } ] }\n") ==
               "t.yaml:4:30: '3 business_days' is working time and needs a calendar: add 'calendar: <name>' to the workflow");
    BOOST_TEST(error_of("workflow: w\nattributes: { n: int }\ninitial: s\nstates:\n  s: { deadlines: [ { at: \"2 days after n\", actions: [ { record: x } ] } ] }\n") ==
               "t.yaml:5:27: attribute 'n' is not a date or instant; a deadline is anchored on 'entry' or a date/instant attribute");
    BOOST_TEST(error_of("workflow: w\ninitial: s\nstates:\n  s: { deadlines: [ { after: 2h } ] }\n") ==
               "t.yaml:4:21: a deadline needs an 'event' or 'actions' to do when due");
}
