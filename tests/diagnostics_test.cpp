// Rule-file diagnostics: exact messages and positions.  Each case is a small
// rule text whose mistake's line and column were counted by hand.
#define BOOST_TEST_MODULE diagnostics
#include <boost/test/unit_test.hpp>

#include "caseflow/rules.hpp"
#include "caseflow/value.hpp"

using namespace caseflow;

namespace {

// Every error of loading `yaml` as file "t.yaml", one per line.
std::string errors_of(const std::string& yaml) {
    try {
        load_rules_from_string(yaml, "t.yaml");
    } catch (const rule_errors& e) {
        std::string s;
        for (const auto& err : e.errors()) s += std::string(err.what()) + "\n";
        return s;
    } catch (const rule_error& e) {
        return std::string(e.what()) + "\n";
    }
    return "loaded\n";
}

const char* header = "workflow: w\nevents: [go, stop]\n";  // 2 lines

}  // namespace

BOOST_AUTO_TEST_CASE(valid_minimal_workflow_loads) {
    BOOST_TEST(errors_of(std::string(header) + "initial: a\nstates:\n  a: { on: { go: b } }\n  b: { final: true }\n") == "loaded\n");
}

BOOST_AUTO_TEST_CASE(yaml_syntax_error_is_positioned) {
    BOOST_TEST(errors_of("workflow: w\nstates: { a: [\n") ==
               "t.yaml:3:1: YAML syntax error: end of sequence flow not found; close the list with ']' and separate its items with ','\n");
    // The second ':' (column 13) is where a ',' or '}' was due.
    BOOST_TEST(errors_of("workflow: w\nstates:\n  a: { on: x: y }\n") ==
               "t.yaml:3:13: YAML syntax error: end of map flow not found; close the mapping with '}' and separate its "
               "entries with ','\n");
    BOOST_TEST(errors_of("workflow: w\nstates:\n  a: x: y\n") ==
               "t.yaml:3:7: YAML syntax error: illegal map value; quote the value if its ': ' is text, or move the nested "
               "mapping to its own indented lines\n");
    BOOST_TEST(errors_of("workflow: w\nstates:\n\ta: {}\n") ==
               "t.yaml:3:1: YAML syntax error: illegal tab when looking for indentation; indent with spaces: YAML does not "
               "allow tabs there\n");
}

BOOST_AUTO_TEST_CASE(unknown_top_level_key_suggests) {
    BOOST_TEST(errors_of("workflow: w\ninitial: a\nstate:\n  a: {}\nstates:\n  a: {}\n") ==
               "t.yaml:3:1: unknown key 'state' in a workflow file (did you mean 'states'?); expected one of: "
               "workflow, version, description, calendar, attributes, events, escalation, slas, initial, states\n");
}

BOOST_AUTO_TEST_CASE(missing_initial_state) {
    BOOST_TEST(errors_of("workflow: w\nstates:\n  a: {}\n") ==
               "t.yaml:1:1: missing 'initial': name the state a new case starts in\n");
}

BOOST_AUTO_TEST_CASE(unknown_initial_state_suggests) {
    BOOST_TEST(errors_of("workflow: w\ninitial: recieved\nstates:\n  received: {}\n") ==
               "t.yaml:2:10: unknown state 'recieved' (did you mean 'received'?)\n");
}

BOOST_AUTO_TEST_CASE(unknown_target_lists_states) {
    BOOST_TEST(errors_of(std::string(header) + "initial: a\nstates:\n  a: { on: { go: zz } }\n  b: {}\n") ==
               "t.yaml:5:18: unknown state 'zz'; expected one of: a, b\n");
}

BOOST_AUTO_TEST_CASE(unknown_event_suggests_and_says_where_to_declare) {
    BOOST_TEST(errors_of(std::string(header) + "initial: a\nstates:\n  a: { on: { stp: a } }\n") ==
               "t.yaml:5:14: unknown event 'stp' (did you mean 'stop'?); declare it under 'events:'\n");
}

BOOST_AUTO_TEST_CASE(unknown_state_key) {
    BOOST_TEST(errors_of(std::string(header) + "initial: a\nstates:\n  a:\n    entri: []\n") ==
               "t.yaml:6:5: unknown key 'entri' in state 'a' (did you mean 'entry'?); expected one of: "
               "description, entry, exit, on, always, deadlines, initial, states, final\n");
}

BOOST_AUTO_TEST_CASE(duplicate_state_names) {
    BOOST_TEST(errors_of(std::string(header) + "initial: a\nstates:\n  a: {}\n  a: {}\n") ==
               "t.yaml:6:3: duplicate state 'a'\n");
    BOOST_TEST(errors_of(std::string(header) +
                         "initial: a\nstates:\n  a:\n    initial: b\n    states:\n      b: {}\n  b: {}\n") ==
               "t.yaml:9:3: state 'b' is declared twice (first at t.yaml:8:7); state names must be unique in a workflow\n");
}

BOOST_AUTO_TEST_CASE(duplicate_attribute_and_event) {
    BOOST_TEST(errors_of("workflow: w\nattributes:\n  x: int\n  x: string\nevents: [go, go]\ninitial: a\nstates:\n  a: {}\n") ==
               "t.yaml:4:3: duplicate attribute 'x'\n"
               "t.yaml:5:14: duplicate event 'go'\n");
}

BOOST_AUTO_TEST_CASE(unknown_attribute_in_guard_points_into_the_expression) {
    BOOST_TEST(errors_of("workflow: w\nattributes:\n  severity: { type: enum, values: [minor, major] }\nevents: [go]\n"
                         "initial: a\nstates:\n  a: { on: { go: { target: a, guard: \"severty == 'major'\" } } }\n") ==
               "t.yaml:7:39: unknown attribute 'severty' (did you mean 'severity'?)\n");
}

BOOST_AUTO_TEST_CASE(type_error_in_expression) {
    std::string msg = errors_of("workflow: w\nattributes:\n  n: int\nevents: [go]\n"
                                "initial: a\nstates:\n  a: { on: { go: { target: a, guard: \"n == 'x'\" } } }\n");
    BOOST_TEST(msg.rfind("t.yaml:7:", 0) == 0u);
    BOOST_TEST(msg.find("int") != std::string::npos);
    BOOST_TEST(msg.find("string") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(guard_must_be_bool) {
    std::string msg = errors_of("workflow: w\nattributes:\n  n: int\nevents: [go]\n"
                                "initial: a\nstates:\n  a: { on: { go: { target: a, guard: \"n + 1\" } } }\n");
    BOOST_TEST(msg.rfind("t.yaml:7:", 0) == 0u);
    BOOST_TEST(msg.find("bool") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(event_fields_only_where_there_is_an_event) {
    std::string msg = errors_of("workflow: w\nattributes:\n  n: int\nevents: { go: { k: int } }\n"
                                "initial: a\nstates:\n  a:\n    entry:\n      - set: { n: event.k }\n");
    BOOST_TEST(msg.rfind("t.yaml:9:19:", 0) == 0u, msg);
}

BOOST_AUTO_TEST_CASE(bad_default_and_enum_without_values) {
    BOOST_TEST(errors_of("workflow: w\nattributes:\n  n: { type: int, default: many }\n  s: { type: enum }\n"
                         "initial: a\nstates:\n  a: {}\n") ==
               "t.yaml:3:28: default 'many' is not a valid int value\n"
               "t.yaml:4:14: an enum needs its 'values', e.g. { type: enum, values: [minor, major] }\n");
}

// Every 64-bit int but the lowest (the engine's "no value") is a value; the
// eight highest were refused once by an early overflow check.
// Analysts write Chinese descriptions and values, and Windows editors save
// rule files with a byte order mark: a column is the one the editor shows,
// in the YAML and inside an expression alike (a Chinese character is one).
BOOST_AUTO_TEST_CASE(columns_count_characters_and_no_byte_order_mark) {
    const std::string rules =
        "# 投诉\n"
        "attributes: { note: string, severity: int }\n"
        "initial: a\n"
        "states:\n"
        "  a: { on: { go: { description: 通知, guard: \"note == '通知' && severty == 1\", target: b } } }\n"
        "  b: { final: true }\n";
    const std::string expected = "t.yaml:7:61: unknown attribute 'severty' (did you mean 'severity'?)\n";
    BOOST_TEST(errors_of(std::string(header) + rules) == expected);
    BOOST_TEST(errors_of("\xEF\xBB\xBF" + std::string(header) + rules) == expected);
}

BOOST_AUTO_TEST_CASE(int_values_span_64_bits_but_the_lowest) {
    BOOST_TEST(parse_value(value_type::integer, "9223372036854775807").as_integer() == 9223372036854775807);
    BOOST_TEST(parse_value(value_type::integer, "9223372036854775800").as_integer() == 9223372036854775800);
    BOOST_TEST(parse_value(value_type::integer, "+42").as_integer() == 42);
    BOOST_TEST(parse_value(value_type::integer, "-9223372036854775807").as_integer() == -9223372036854775807);
    for (const char* bad : {"9223372036854775808", "-9223372036854775808", "", "+", "-", "+-1", "--1", "-+1", "1_000", "12a", " 1"})
        BOOST_TEST(parse_value(value_type::integer, bad).is_none(), "'" << bad << "'");
    BOOST_TEST(errors_of("workflow: w\nattributes:\n  n: { type: int, default: 9223372036854775807 }\n"
                         "  m: { type: int, default: -9223372036854775808 }\ninitial: a\nstates:\n  a: {}\n") ==
               "t.yaml:4:28: default '-9223372036854775808' is not a valid int value\n");
}

BOOST_AUTO_TEST_CASE(unknown_action_and_parameter) {
    BOOST_TEST(errors_of(std::string(header) + "initial: a\nstates:\n  a:\n    entry:\n      - notfy: boss\n"
                                               "      - escalate: { too: boss }\n") ==
               "t.yaml:7:9: unknown action 'notfy' (did you mean 'notify'?); expected one of: notify, call, sms, email, "
               "assign, escalate, open_case, record, set (and an optional 'when')\n"
               "t.yaml:8:19: action 'escalate' needs 'to'\n"
               "t.yaml:8:21: unknown key 'too' in action 'escalate' (did you mean 'to'?); expected one of: to, reason\n");
}

BOOST_AUTO_TEST_CASE(open_case_needs_a_known_workflow) {
    BOOST_TEST(errors_of(std::string(header) + "initial: a\nstates:\n  a:\n    entry:\n      - open_case: complain\n") ==
               "t.yaml:7:20: unknown workflow 'complain'; open_case needs a workflow of this rule set\n");
}

BOOST_AUTO_TEST_CASE(composite_state_rules) {
    BOOST_TEST(errors_of(std::string(header) + "initial: a\nstates:\n  a:\n    states:\n      b: {}\n") ==
               "t.yaml:5:3: composite state 'a' needs an 'initial' substate\n");
    BOOST_TEST(errors_of(std::string(header) + "initial: b\nstates:\n  a:\n    initial: b\n    states:\n      b: {}\n") ==
               "t.yaml:3:10: initial state 'b' must be a top-level state\n");
    BOOST_TEST(errors_of(std::string(header) + "initial: a\nstates:\n  a: { final: true, on: { go: a } }\n") ==
               "t.yaml:5:25: final state 'a' cannot have transitions or exit actions\n");
}

BOOST_AUTO_TEST_CASE(every_error_of_a_broken_directory_and_nothing_loaded) {
    try {
        load_rules(std::string(CASEFLOW_SOURCE_DIR) + "/tests/fixtures/broken_rules");
        BOOST_FAIL("a broken directory loaded");
    } catch (const rule_errors& e) {
        std::string dir = std::string(CASEFLOW_SOURCE_DIR) + "/tests/fixtures/broken_rules/";
        std::vector<std::string> got;
        for (const auto& err : e.errors()) {
            std::string w = err.what();
            BOOST_TEST_REQUIRE(w.rfind(dir, 0) == 0u);
            got.push_back(w.substr(dir.size(), w.find(':', w.find(':', w.find(':', dir.size()) + 1) + 1) - dir.size()));
        }
        std::vector<std::string> want = {"complaint.yaml:5:21", "complaint.yaml:6:29", "complaint.yaml:10:10",
                                         "complaint.yaml:14:7", "complaint.yaml:15:25", "complaint.yaml:18:53",
                                         "complaint.yaml:20:9", "service.yaml:6:9"};
        BOOST_TEST(got == want, boost::test_tools::per_element());
    }
}
