// Interpreter semantics: run to completion, rejected events, the order of
// exit / transition / entry actions, composite and final states, eventless
// transitions, linked cases, host errors.
#define BOOST_TEST_MODULE interpreter
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

#include "caseflow/caseflow.hpp"

using namespace caseflow;

namespace caseflow {  // printable in Boost.Test messages
std::ostream& operator<<(std::ostream& o, record_kind k) { return o << to_string(k); }
std::ostream& operator<<(std::ostream& o, action_kind k) { return o << to_string(k); }
std::ostream& operator<<(std::ostream& o, dispatch_status s) { return o << to_string(s); }
}  // namespace caseflow
using namespace std::chrono_literals;

namespace {

const instant t0 = *parse_instant("2026-09-30T16:00:00+08:00");

// A workflow whose every action is a `record` naming where it came from, so
// the order of actions is visible in the sink.
const char* order_rules = R"(
workflow: order
attributes:
  n: { type: int, default: 0 }
  done: { type: bool, default: false }
events:
  go: {}
  inner: {}
  bump: { by: { type: int, required: true } }
  finish: {}
  loop: {}
initial: outer
states:
  outer:
    initial: a
    entry: [ { record: enter outer } ]
    exit:  [ { record: exit outer } ]
    on:
      go: { target: c, actions: [ { record: outer go } ] }   # shadowed in a by a's own 'go'
      finish: z
    states:
      a:
        entry: [ { record: enter a } ]
        exit:  [ { record: exit a } ]
        on:
          go: { target: b, actions: [ { record: a go } ] }
          inner: { actions: [ { record: a inner } ] }
          bump:
            - { guard: "event.by > 10", target: b, set: { n: n + event.by } }
            - { set: { n: n + event.by } }
      b:
        entry: [ { record: enter b } ]
        exit:  [ { record: exit b } ]
        on:
          go: { target: b, actions: [ { record: b self } ] }
  c:
    entry: [ { record: enter c } ]
    always:
      - { guard: "n > 2", target: d }
    on:
      bump: { target: c, set: { n: n + event.by } }
      loop: e1
  d:
    entry: [ { record: enter d } ]
    always: { target: z }
  e1: { always: { target: e2 } }
  e2: { always: { target: e1 } }
  z: { final: true, entry: [ { record: enter z } ] }
)";

struct fixture {
    engine eng{load_rules_from_string(order_rules, "order.yaml")};
    std::vector<std::string> log;
    fixture() {
        eng.on_action([this](const action& a) { log.push_back(std::string(a.param("text"))); });
    }
    std::vector<std::string> take() { return std::exchange(log, {}); }
};

using strings = std::vector<std::string>;

}  // namespace

BOOST_FIXTURE_TEST_CASE(open_enters_outermost_first, fixture) {
    auto c = eng.open("order", {}, t0, "O-1");
    BOOST_TEST(take() == (strings{"enter outer", "enter a"}), boost::test_tools::per_element());
    BOOST_TEST(eng.state(c) == "a");
    BOOST_TEST(eng.configuration(c) == (strings{"a", "outer"}), boost::test_tools::per_element());
    BOOST_TEST(eng.in_state(c, "outer"));
}

BOOST_FIXTURE_TEST_CASE(sibling_transition_exits_then_acts_then_enters, fixture) {
    auto c = eng.open("order", {}, t0);
    take();
    BOOST_TEST(bool(eng.dispatch(c, "go", {}, t0 + 1min)));
    // The leaf's own 'go' wins over the composite's; outer is neither exited nor entered.
    BOOST_TEST(take() == (strings{"exit a", "a go", "enter b"}), boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(self_transition_is_external, fixture) {
    auto c = eng.open("order", {}, t0);
    eng.dispatch(c, "go", {}, t0);
    take();
    eng.dispatch(c, "go", {}, t0);
    BOOST_TEST(take() == (strings{"exit b", "b self", "enter b"}), boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(internal_transition_has_no_exit_or_entry, fixture) {
    auto c = eng.open("order", {}, t0);
    take();
    BOOST_TEST(bool(eng.dispatch(c, "inner", {}, t0)));
    BOOST_TEST(take() == strings{"a inner"});
    BOOST_TEST(eng.state(c) == "a");
}

BOOST_FIXTURE_TEST_CASE(leaving_a_composite_exits_innermost_first, fixture) {
    auto c = eng.open("order", {}, t0);
    eng.dispatch(c, "go", {}, t0);  // a -> b
    take();
    eng.dispatch(c, "finish", {}, t0);  // outer's transition, from leaf b
    BOOST_TEST(take() == (strings{"exit b", "exit outer", "enter z"}), boost::test_tools::per_element());
    BOOST_TEST(eng.closed(c));
}

BOOST_FIXTURE_TEST_CASE(rejected_event_is_recorded_and_changes_nothing, fixture) {
    auto c = eng.open("order", {}, t0, "O-1");
    auto before = eng.version(c);
    auto r = eng.dispatch(c, "loop", {}, t0 + 1min);  // only c accepts 'loop'
    BOOST_TEST(!r);
    BOOST_TEST((r.status == dispatch_status::no_transition));
    BOOST_TEST(eng.state(c) == "a");
    BOOST_TEST(eng.version(c) == before);
    auto h = eng.history(c);
    BOOST_TEST(h.back().kind == record_kind::rejected);
    BOOST_TEST(h.back().subject == "loop");
    BOOST_TEST(h.back().to_string() ==
               "2026-09-30T08:01:00Z O-1 rejected loop {reason: no transition accepts this event in the current state}");
}

BOOST_FIXTURE_TEST_CASE(first_enabled_guarded_alternative_wins, fixture) {
    auto c = eng.open("order", {}, t0);
    eng.dispatch(c, "bump", {{"by", 3}}, t0);
    BOOST_TEST(eng.state(c) == "a");  // 3 > 10 is false: the second alternative (internal)
    BOOST_TEST(eng.attribute(c, "n").as_integer() == 3);
    eng.dispatch(c, "bump", {{"by", 20}}, t0);
    BOOST_TEST(eng.state(c) == "b");
    BOOST_TEST(eng.attribute(c, "n").as_integer() == 23);
}

BOOST_AUTO_TEST_CASE(guarded_completion_fires_when_its_guard_becomes_true) {
    const std::string rules = R"(
workflow: w
attributes: { n: { type: int, default: 0 } }
events: { bump: { by: int } }
initial: c
states:
  c:
    always: [ { guard: "n > 2", target: d } ]
    on: { bump: { set: { n: n + event.by } } }
  d:
    entry: [ { record: enter d } ]
    always: { target: z }
  z: { final: true }
)";
    engine e{load_rules_from_string(rules, "w.yaml")};
    std::vector<std::string> seen;
    e.on_action([&](const action& a) {
        if (a.kind == action_kind::record) seen.push_back(std::string(a.param("text")));
    });
    auto k = e.open("w", {}, t0);
    e.dispatch(k, "bump", {{"by", 2}}, t0);
    BOOST_TEST(e.state(k) == "c");  // 2 > 2 is false
    e.dispatch(k, "bump", {{"by", 1}}, t0);
    BOOST_TEST(e.state(k) == "z");  // c -> d -> z in one run to completion
    BOOST_TEST(e.closed(k));
    BOOST_TEST(seen == strings{"enter d"});
    auto r = e.dispatch(k, "bump", {{"by", 1}}, t0);
    BOOST_TEST((r.status == dispatch_status::case_closed));
}

BOOST_AUTO_TEST_CASE(completion_of_a_composite_when_its_final_substate_is_reached) {
    const std::string rules = R"(
workflow: w
events: [step]
initial: work
states:
  work:
    initial: one
    always: { target: after }
    states:
      one: { on: { step: two } }
      two: { final: true }
  after: {}
)";
    engine e{load_rules_from_string(rules, "w.yaml")};
    auto c = e.open("w", {}, t0);
    BOOST_TEST(e.state(c) == "one");  // the composite's completion waits for its final substate
    e.dispatch(c, "step", {}, t0);
    BOOST_TEST(e.state(c) == "after");
    BOOST_TEST(!e.closed(c));  // a final substate does not close the case
}

BOOST_AUTO_TEST_CASE(an_eventless_cycle_stops_with_a_note) {
    const std::string rules = R"(
workflow: w
events: [loop]
initial: s
states:
  s: { on: { loop: e1 } }
  e1: { always: { target: e2 } }
  e2: { always: { target: e1 } }
)";
    engine e{load_rules_from_string(rules, "w.yaml"), engine_options{true, 10}};
    auto c = e.open("w", {}, t0);
    e.dispatch(c, "loop", {}, t0);
    auto h = e.history(c);
    BOOST_TEST(h.back().kind == record_kind::note);
    // 1 event + 1 transition + 10 eventless transitions + the note, after 'opened'.
    BOOST_TEST(h.size() == 1u + 1u + 1u + 10u + 1u);
}

BOOST_AUTO_TEST_CASE(open_case_opens_a_linked_case) {
    const std::string call = R"(
workflow: call
attributes: { phone: string }
events: { new_need: { topic: string } }
initial: talking
states:
  talking:
    on:
      new_need:
        actions:
          - open_case: { workflow: inquiry, reason: "unknown need", attributes: { phone: phone, topic: event.topic } }
)";
    const std::string inquiry = R"(
workflow: inquiry
attributes: { phone: string, topic: string }
initial: open
states:
  open: { entry: [ { notify: { to: supervisor, message: "new need: ${topic}" } } ] }
)";
    // Two files: write them to a temporary directory.
    auto dir = std::filesystem::temp_directory_path() / "caseflow_open_case_test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "call.yaml") << call;
    std::ofstream(dir / "inquiry.yaml") << inquiry;
    engine e{load_rules(dir)};
    std::vector<action> acts;
    e.on_action([&](const action& a) { acts.push_back(a); });
    auto c = e.open("call", {{"phone", "138"}}, t0, "R-7");
    e.dispatch(c, "new_need", {{"topic", "warranty"}}, t0 + 1min);
    auto child = e.find("R-7/1");
    BOOST_TEST(e.workflow(child) == "inquiry");
    BOOST_TEST(e.attribute(child, "topic").as_string() == "warranty");
    BOOST_TEST(e.attribute(child, "phone").as_string() == "138");
    BOOST_TEST_REQUIRE(acts.size() == 2u);
    BOOST_TEST(acts[0].case_id == "R-7/1");  // the child's entry action runs while it opens
    BOOST_TEST(acts[0].param("message") == "new need: warranty");
    BOOST_TEST(acts[1].kind == action_kind::open_case);
    BOOST_TEST(acts[1].param("case") == "R-7/1");
    BOOST_TEST(acts[1].param("reason") == "unknown need");
    BOOST_TEST(e.history(child).front().field("parent") == "R-7");
    std::filesystem::remove_all(dir);
}

BOOST_FIXTURE_TEST_CASE(host_errors_are_usage_errors_with_suggestions, fixture) {
    auto c = eng.open("order", {}, t0, "O-1");
    BOOST_CHECK_EXCEPTION(eng.dispatch(c, "goo", {}, t0), usage_error, [](const usage_error& e) {
        return std::string(e.what()) == "workflow 'order' has no event 'goo' (did you mean 'go'?)";
    });
    BOOST_CHECK_EXCEPTION(eng.dispatch(c, "bump", {}, t0), usage_error, [](const usage_error& e) {
        return std::string(e.what()) == "event 'bump' requires field 'by'";
    });
    BOOST_CHECK_EXCEPTION(eng.dispatch(c, "bump", {{"by", "many"}}, t0), usage_error, [](const usage_error& e) {
        return std::string(e.what()) == "field 'by' of event 'bump': expected a value of type int, got string 'many'";
    });
    BOOST_CHECK_EXCEPTION(eng.dispatch(c, "go", {}, t0 - 1min), usage_error, [](const usage_error& e) {
        return std::string(e.what()) == "time cannot go back: 2026-09-30T07:59:00Z is before the engine's time 2026-09-30T08:00:00Z";
    });
    BOOST_CHECK_EXCEPTION(eng.open("order", {{"m", 1}}, t0), usage_error, [](const usage_error& e) {
        return std::string(e.what()) == "workflow 'order' has no attribute 'm' (did you mean 'n'?)";
    });
    BOOST_CHECK_THROW(eng.open("order", {}, t0, "O-1"), usage_error);
    BOOST_CHECK_THROW(eng.open("ordr", {}, t0), usage_error);
    BOOST_TEST(eng.state(c) == "a");  // nothing happened to the case
    BOOST_TEST(eng.history(c).size() == 3u);  // opened + two entry actions
}

BOOST_AUTO_TEST_CASE(required_attributes_must_be_given) {
    auto rules = load_rules(std::string(CASEFLOW_SOURCE_DIR) + "/rules");
    engine e{rules};
    BOOST_CHECK_EXCEPTION(e.open("complaint", {}, t0), usage_error, [](const usage_error& ex) {
        return std::string(ex.what()).rfind("workflow 'complaint' requires attribute 'phone'", 0) == 0;
    });
}

BOOST_AUTO_TEST_CASE(same_inputs_give_identical_histories) {
    auto rules = load_rules(std::string(CASEFLOW_SOURCE_DIR) + "/rules");
    auto run = [&] {
        engine e{rules};
        auto c = e.open("complaint", {{"severity", "major"}, {"phone", "13800000000"}}, t0, "C-1");
        e.dispatch(c, "facts_established", {{"agent", "A07"}}, t0 + 5min);
        e.dispatch(c, "cannot_solve", {{"promised_at", t0 + 48h}}, t0 + 10min);
        e.dispatch(c, "solved", {}, t0 + 30h);
        return to_string(e.history(c));
    };
    std::string a = run(), b = run();
    BOOST_TEST(!a.empty());
    BOOST_TEST(a == b);
}

// engine::dispatch(case_id, event_id, instant) runs most steps on a fast path
// (precomputed cells: moves, `attribute + literal` sets, closing steps,
// rejections); it must do exactly what the named overload does through the
// general interpreter.  The workflow below has a cell of each kind.
const char* fast_rules = R"(
workflow: fast
attributes:
  severity: { type: enum, values: [minor, major], default: minor }
  replies: { type: int, default: 0 }
events:
  start: {}
  reply: {}
  settle: {}
  close: {}
  remark: { text: { type: string } }
  assign: { agent: { type: string, required: true } }
initial: received
states:
  received:
    on:
      start:
        - { guard: "severity == 'major'", target: working, actions: [ { escalate: { to: manager, reason: major } } ] }
        - { target: working }
  working:
    initial: open
    on:
      close: done
      remark:
        target: working
        actions: [ { notify: { to: "desk ${replies}" } }, { notify: { to: nobody }, when: "replies > 5" } ]
      assign: working
    states:
      open:
        on:
          reply: { set: { replies: "replies + 1" } }
          settle: settling
      settling:
        always: [ { guard: "replies >= 2", target: settled } ]
        on:
          reply: { set: { replies: "replies + 1" } }
      settled: {}
  done: { final: true }
)";

BOOST_AUTO_TEST_CASE(event_id_dispatch_does_what_named_dispatch_does) {
    const auto rules = load_rules_from_string(fast_rules, "fast.yaml");
    const char* script[] = {"start", "reply", "remark", "settle", "reply", "reply", "close", "reply", "start", "remark"};
    // Worked out by hand from the rules above, per case.
    const dispatch_status a = dispatch_status::accepted, none = dispatch_status::no_transition,
                          closed = dispatch_status::case_closed;
    const std::vector<dispatch_status> expected = {a, a, a, a, a, none, a, closed, closed, closed};
    for (const bool history : {true, false}) {
        for (const bool sink : {true, false}) {
            struct run {
                engine eng;
                std::vector<std::string> actions;
                std::vector<dispatch_status> statuses;
            };
            auto play = [&](bool by_id) {
                run r{engine{rules, engine_options{history, 100}}, {}, {}};
                if (sink) r.eng.on_action([&r](const action& x) { r.actions.push_back(x.case_id + " " + std::string(to_string(x.kind)) + " " + std::string(x.param("to"))); });
                std::vector<case_id> ids = {r.eng.open("fast", {{"severity", value::enumeration("minor")}}, t0),
                                            r.eng.open("fast", {{"severity", value::enumeration("major")}}, t0),
                                            r.eng.open("fast", {}, t0, "F-named")};
                int minute = 0;
                for (const char* name : script) {
                    const instant at = t0 + std::chrono::minutes(++minute);
                    for (case_id c : ids)
                        r.statuses.push_back(by_id ? r.eng.dispatch(c, r.eng.event("fast", name), at).status
                                                   : r.eng.dispatch(c, name, {}, at).status);
                }
                return r;
            };
            run named = play(false), fast = play(true);
            BOOST_TEST_CONTEXT("history " << history << ", sink " << sink) {
                BOOST_TEST((fast.statuses == named.statuses));
                for (std::size_t i = 0; i < fast.statuses.size(); ++i)
                    BOOST_TEST((fast.statuses[i] == expected[i / 3]), "step " << i / 3 << " case " << i % 3);
                BOOST_TEST((fast.actions == named.actions));
                // The major case escalates on start (an action emitted as
                // written); every accepted `reply` emits its set (the 2nd and
                // 5th events); `remark` (the 3rd) notifies the desk with the
                // replies so far, and not `nobody` (replies <= 5).
                const std::vector<std::string> emitted = {
                    "fast-2 escalate manager", "fast-1 set ",         "fast-2 set ",         "F-named set ",
                    "fast-1 notify desk 1",    "fast-2 notify desk 1", "F-named notify desk 1", "fast-1 set ",
                    "fast-2 set ",             "F-named set "};
                if (sink) BOOST_TEST((fast.actions == emitted));
                for (std::uint32_t k = 0; k < 3; ++k) {
                    const case_id c{k};
                    BOOST_TEST(fast.eng.state(c) == "done");
                    BOOST_TEST(fast.eng.closed(c));
                    BOOST_TEST(fast.eng.attribute(c, "replies").as_integer() == 2);
                    BOOST_TEST(fast.eng.version(c) == 7u);  // opened, then six accepted events
                    BOOST_TEST(fast.eng.version(c) == named.eng.version(c));
                }
                if (history) BOOST_TEST(to_string(fast.eng.timeline()) == to_string(named.eng.timeline()));
            }
        }
    }
    // The checks the general path makes still hold on the fast one.
    engine e{rules};
    const case_id c = e.open("fast", {}, t0);
    const event_id assign = e.event("fast", "assign");
    BOOST_CHECK_THROW(e.dispatch(c, assign, t0), usage_error);  // a required field
    BOOST_CHECK_THROW(e.dispatch(c, event_id{assign.workflow + 1, assign.index}, t0), usage_error);
    BOOST_CHECK_THROW(e.dispatch(case_id{7}, e.event("fast", "start"), t0), usage_error);
    BOOST_TEST(e.dispatch(c, e.event("fast", "start"), t0 + 1min).status == dispatch_status::accepted);
    BOOST_CHECK_THROW(e.dispatch(c, e.event("fast", "reply"), t0), usage_error);  // time cannot go back
}

// rule_set and calendar share their loaded data through a reference count of
// their own (no std::shared_ptr in the public headers), and engine owns its
// state through a plain pointer.  Copies, moves and self-assignment must keep
// the data alive exactly as long as a handle needs it; the sanitizer build
// (CI) turns a miscount into a use-after-free, double free or leak report.
BOOST_AUTO_TEST_CASE(handles_share_loaded_data_until_the_last_copy_goes) {
    const std::string root = CASEFLOW_SOURCE_DIR;
    auto copy = std::make_unique<rule_set>();
    {
        rule_set loaded = load_rules(root + "/rules");
        *copy = loaded;                      // copy-assign into an empty handle
        rule_set& alias = loaded;
        loaded = alias;                      // self copy-assignment keeps the data
        loaded = std::move(alias);           // and so does self move-assignment
        BOOST_TEST(loaded.has_workflow("complaint"));
        rule_set moved = std::move(loaded);  // `loaded` is empty now
        BOOST_TEST(loaded.empty());
        BOOST_TEST(moved.workflows() == copy->workflows());
    }                                        // the original and its move are gone
    BOOST_TEST(copy->has_workflow("complaint"));
    const calendar office = load_calendars(root + "/rules/calendars").at("office");  // outlives its set
    engine first{*copy};
    copy.reset();                            // the engine holds the last reference
    const case_id c = first.open("complaint", {{"severity", value::enumeration("major")}, {"phone", "13800000000"}}, t0, "C-1");
    engine second = std::move(first);
    first = std::move(second);               // back again; `second` is empty
    engine& self = first;
    first = std::move(self);
    BOOST_TEST(first.state(c) == "received");
    BOOST_TEST(first.rules().has_workflow("complaint"));
    BOOST_TEST(office.name() == "office");
    BOOST_TEST(office.is_working_day(office.local_date(t0)));  // 2026-09-30, a Wednesday
}

// The fast path's cells of every workflow share one table, in rows as long as
// the workflow with the most events: an index past a shorter workflow's
// events must still be refused, and a case must find its row in its own
// workflow after moves on either path.
BOOST_AUTO_TEST_CASE(event_id_dispatch_across_workflows_of_different_sizes) {
    auto dir = std::filesystem::temp_directory_path() / "caseflow_fast_rows_test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "big.yaml") << R"(
workflow: big
events: [a, b, c, d]
initial: one
states:
  one: { on: { a: two, b: one } }
  two: { on: { c: one, d: done } }
  done: { final: true }
)";
    std::ofstream(dir / "small.yaml") << R"(
workflow: small
attributes: { n: { type: int, default: 0 } }
events: [go, note]
initial: x
states:
  x: { on: { go: y } }
  y: { on: { go: x, note: { set: { n: "n + 1" } } } }
)";
    const auto rules = load_rules(dir);
    std::filesystem::remove_all(dir);
    engine e{rules};
    const case_id small = e.open("small", {}, t0), big = e.open("big", {}, t0);
    const event_id go = e.event("small", "go"), note = e.event("small", "note"), a = e.event("big", "a"), c = e.event("big", "c");
    // (2^27 and 2^27 + 1: cell offsets of 2^32 and 2^32 + 32 bytes, which a
    // 32-bit offset would take for events 0 and 1)
    for (std::uint32_t index : {2u, 3u, 4u, 1000u, 0x800'0000u, 0x800'0001u, 0xffff'ffffu})
        BOOST_CHECK_THROW(e.dispatch(small, event_id{go.workflow, index}, t0), usage_error);
    BOOST_CHECK_THROW(e.dispatch(small, a, t0), usage_error);
    BOOST_CHECK_THROW(e.dispatch(big, go, t0), usage_error);
    BOOST_TEST(e.dispatch(small, go, t0 + 1min).status == dispatch_status::accepted);
    BOOST_TEST(e.dispatch(big, a, t0 + 1min).status == dispatch_status::accepted);
    BOOST_TEST(e.state(small) == "y");
    BOOST_TEST(e.state(big) == "two");
    BOOST_TEST(e.dispatch(small, note, t0 + 2min).status == dispatch_status::accepted);
    BOOST_TEST(e.dispatch(small, "go", {}, t0 + 3min).status == dispatch_status::accepted);  // the general path moves it
    BOOST_TEST(e.dispatch(small, note, t0 + 4min).status == dispatch_status::no_transition);
    BOOST_TEST(e.dispatch(small, go, t0 + 5min).status == dispatch_status::accepted);
    BOOST_TEST(e.dispatch(big, c, t0 + 5min).status == dispatch_status::accepted);
    BOOST_TEST(e.dispatch(big, a, t0 + 6min).status == dispatch_status::accepted);
    BOOST_TEST(e.dispatch(big, e.event("big", "d"), t0 + 7min).status == dispatch_status::accepted);
    BOOST_TEST(e.dispatch(big, a, t0 + 8min).status == dispatch_status::case_closed);
    BOOST_TEST(e.state(small) == "y");
    BOOST_TEST(e.attribute(small, "n").as_integer() == 1);
    BOOST_TEST(e.closed(big));
    BOOST_TEST(e.version(small) == 5u);
}

// dispatch(case_id, event_id, instant) runs moves, `attribute + literal` sums
// and ignored events inline, in the caller's code (caseflow/engine.hpp), on
// pointers into the engine's arrays.  Whatever it leaves to the library must
// come out as named dispatch does: a sum with no value (a missing operand,
// an overflow), a negative literal, a deadline due first; and the pointers
// must follow the arrays as cases are opened and the engine is moved (the
// sanitizer build turns a stale one into an error).
BOOST_AUTO_TEST_CASE(inline_dispatch_leaves_the_edge_cases_to_the_library) {
    const auto rules = load_rules_from_string(R"(
workflow: tally
attributes:
  n:   { type: int }
  big: { type: int, default: 0 }
  m:   { type: int, default: 0 }
events: { count: {}, grow: {}, shrink: {}, park: {}, wake: {}, bump: { note: string } }
initial: idle
states:
  idle:
    on:
      count: { set: { n: "n + 1" } }
      bump: { set: { m: "m + 1" } }  # an event with a field: its own record
      grow: { set: { big: "big + 5000000000000000000" } }
      shrink: { set: { m: "m + -2" } }
      park: parked
  parked:
    deadlines: [ { after: 1h, event: wake } ]
    on: { wake: idle }
)", "tally.yaml");
    const dispatch_status a = dispatch_status::accepted, none = dispatch_status::no_transition;
    for (const bool history : {true, false}) {
        auto play = [&](bool by_id, std::vector<dispatch_status>& statuses) {
            engine eng{rules, engine_options{history, 100}};
            auto send = [&](engine& e, case_id c, const char* name, instant at) {
                statuses.push_back(by_id ? e.dispatch(c, e.event("tally", name), at).status : e.dispatch(c, name, {}, at).status);
            };
            const case_id first = eng.open("tally", {}, t0);
            send(eng, first, "count", t0 + 1min);   // no n: n stays without a value
            send(eng, first, "grow", t0 + 2min);    // big = 5e18
            send(eng, first, "grow", t0 + 3min);    // 1e19 overflows: big has no value
            send(eng, first, "shrink", t0 + 4min);  // m = -2
            send(eng, first, "park", t0 + 5min);    // parked; `wake` due at t0 + 65min
            std::vector<case_id> later;
            for (int i = 0; i < 3000; ++i) later.push_back(eng.open("tally", {{"n", 40}}, t0 + 6min));
            send(eng, first, "wake", t0 + 2h);      // the deadline woke it first: ignored
            send(eng, later.back(), "count", t0 + 2h);
            send(eng, later.front(), "grow", t0 + 2h);
            engine moved = std::move(eng);
            send(moved, first, "shrink", t0 + 3h);  // m = -4
            send(moved, first, "bump", t0 + 3h);    // m = -3
            send(moved, later.back(), "count", t0 + 3h);
            send(moved, first, "wake", t0 + 4h);  // ignored: idle takes no wake, but the time moves on
            BOOST_CHECK_THROW(moved.dispatch(first, moved.event("tally", "count"), t0 + 4h - 1min), usage_error);
            return moved;
        };
        std::vector<dispatch_status> by_name, by_id;
        engine named = play(false, by_name), fast = play(true, by_id);
        BOOST_TEST_CONTEXT("history " << history) {
            BOOST_TEST((by_id == by_name));
            BOOST_TEST((by_id == std::vector<dispatch_status>{a, a, a, a, a, none, a, a, a, a, a, none}));
            const case_id first{0}, front{1}, back{3000};
            BOOST_TEST(fast.state(first) == "idle");
            BOOST_TEST(fast.attribute(first, "n").is_none());
            BOOST_TEST(fast.attribute(first, "big").is_none());
            BOOST_TEST(fast.attribute(first, "m").as_integer() == -3);
            BOOST_TEST(fast.attribute(front, "big").as_integer() == 5000000000000000000);
            BOOST_TEST(fast.attribute(back, "n").as_integer() == 42);
            for (case_id c : {first, front, back}) BOOST_TEST(fast.version(c) == named.version(c));
            if (history) {
                BOOST_TEST(to_string(fast.timeline()) == to_string(named.timeline()));
                // Each case's own records, found through their links.
                for (case_id c : {first, front, back}) BOOST_TEST(to_string(fast.history(c)) == to_string(named.history(c)));
            }
        }
    }
}

// engine::dispatch writes a history engine's step, rejection and sum records
// itself while they fit the log's 2 MiB chunk and its 2^32 ms time base; past
// either, and for events with fields, the library writes them.  The records
// must be the same either way, and each case's chain must survive the chunks.
BOOST_AUTO_TEST_CASE(inline_history_records_cross_chunks_and_time_bases) {
    const auto rules = load_rules_from_string(R"(
workflow: flip
attributes: { n: { type: int, default: 0 } }
events: { flip: {}, count: {}, poke: {}, tag: { note: string } }
initial: a
states:
  a:
    on: { flip: b, count: { set: { n: "n + 1" } } }
  b:
    on: { flip: a, count: { set: { n: "n + 1" } } }
)", "flip.yaml");
    constexpr int rounds = 30000;  // 88 bytes of records a round and case: 5 MiB, three chunks
    auto play = [&](bool by_id) {
        engine eng{rules, engine_options{true, 100}};
        const case_id c[2] = {eng.open("flip", {}, t0), eng.open("flip", {}, t0)};
        instant t = t0;
        auto send = [&](case_id k, const char* name) {
            return by_id ? eng.dispatch(k, eng.event("flip", name), t).status : eng.dispatch(k, name, {}, t).status;
        };
        for (int i = 0; i < rounds; ++i) {
            t += 1s;
            for (case_id k : c) {
                BOOST_REQUIRE(send(k, "flip") == dispatch_status::accepted);
                BOOST_REQUIRE(send(k, "count") == dispatch_status::accepted);
                BOOST_REQUIRE(send(k, "poke") == dispatch_status::no_transition);
            }
        }
        t += std::chrono::hours(24 * 60);  // beyond the chunk's time base: 2^32 ms is 49.7 days
        BOOST_TEST((send(c[0], "flip") == dispatch_status::accepted));
        BOOST_TEST((send(c[0], "tag") == dispatch_status::no_transition));  // a field: the library's record
        t += 1s;
        BOOST_TEST((send(c[0], "count") == dispatch_status::accepted));
        return eng;
    };
    const engine named = play(false), fast = play(true);
    for (std::uint32_t k = 0; k < 2; ++k) {
        const case_id c{k};
        BOOST_TEST(fast.attribute(c, "n").as_integer() == rounds + (k == 0));
        BOOST_TEST(fast.state(c) == (k == 0 ? "b" : "a"));  // an even number of flips, and one more for the first
        const auto h = fast.history(c);
        // opened; a round: flip (event, transition), count (event, transition,
        // action), poke (rejected); then flip, tag, count for the first.
        BOOST_TEST(h.size() == 1 + 6u * rounds + (k == 0 ? 6u : 0u));
        BOOST_TEST(to_string(h) == to_string(named.history(c)));
    }
    // t0 + 30000 s + 60 days + 1 s, in UTC, by the `set` of state b (line 10, column 34)
    BOOST_TEST(fast.history(case_id{0}).back().to_string() == "2026-11-29T16:20:01Z flip-1 action set {n: 30001} @flip.yaml:10:34");
}

// A comparison guard on a move lets dispatch take the move inline when the
// guard holds, but only if no earlier candidate could have been taken: each
// must compare the same attribute and hold for none of the same values.
BOOST_AUTO_TEST_CASE(guarded_moves_are_taken_only_where_no_earlier_candidate_could_be) {
    const auto rules = load_rules_from_string(R"(
workflow: route
attributes:
  n:    int
  m:    { type: int, default: 0 }
  hits: { type: int, default: 0 }
events: [go, hop, skip, pick]
initial: idle
states:
  idle:
    on:
      go:    # exclusive guards: `high` is taken whenever n >= 10
        - { guard: "n < 10", target: low, set: { hits: "hits + 1" } }
        - { guard: "n >= 10", target: high }
      hop:   # both hold for n == 10: the first wins
        - { guard: "n <= 10", target: low, set: { hits: "hits + 1" } }
        - { guard: "n >= 10", target: high }
      skip:  # no comparison holds for an unset n
        - { guard: "n != 3", target: high }
      pick:  # another attribute: the first may hold whatever n is
        - { guard: "m == 1", target: low, set: { hits: "hits + 1" } }
        - { guard: "n == 1", target: high }
  low: {}
  high: {}
)", "route.yaml");
    struct probe {
        const char* event;
        value_map attrs;
        const char* state;  // worked out from the guards above
        std::int64_t hits;
    };
    const std::vector<probe> probes{
        {"go", {{"n", 9}}, "low", 1},
        {"go", {{"n", 10}}, "high", 0},
        {"go", {{"n", INT64_MAX}}, "high", 0},
        {"go", {}, "idle", 0},
        {"hop", {{"n", 9}}, "low", 1},
        {"hop", {{"n", 10}}, "low", 1},
        {"hop", {{"n", 11}}, "high", 0},
        {"skip", {}, "idle", 0},
        {"skip", {{"n", 3}}, "idle", 0},
        {"skip", {{"n", 4}}, "high", 0},
        {"pick", {{"n", 1}, {"m", 1}}, "low", 1},
        {"pick", {{"n", 1}}, "high", 0},
    };
    for (const bool history : {true, false}) {
        auto play = [&](bool by_id) {
            engine eng{rules, engine_options{history, 100}};
            for (const auto& p : probes) eng.open("route", p.attrs, t0);
            for (std::size_t i = 0; i < probes.size(); ++i) {
                const probe& p = probes[i];
                const case_id c{static_cast<std::uint32_t>(i)};
                const auto status = by_id ? eng.dispatch(c, eng.event("route", p.event), t0 + 1min).status
                                          : eng.dispatch(c, p.event, {}, t0 + 1min).status;
                BOOST_TEST_CONTEXT("history " << history << ", by id " << by_id << ", probe " << i) {
                    BOOST_TEST(eng.state(c) == p.state);
                    BOOST_TEST(eng.attribute(c, "hits").as_integer() == p.hits);
                    BOOST_TEST((status == (std::string_view(p.state) == "idle" ? dispatch_status::no_transition
                                                                               : dispatch_status::accepted)));
                }
            }
            return eng;
        };
        const engine named = play(false), fast = play(true);
        if (history) BOOST_TEST(to_string(fast.timeline()) == to_string(named.timeline()));
    }
}
