// Case history files: expectations pass and fail with readable messages, bad
// files are rejected with positions, and a case's exported history replays
// through a fresh engine to a byte-identical history.
#define BOOST_TEST_MODULE replay
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "caseflow/caseflow.hpp"

using namespace caseflow;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path root = CASEFLOW_SOURCE_DIR;
const rule_set& shipped() {
    static const rule_set rules = load_rules(root / "rules");
    return rules;
}

replay_result run(const std::string& yaml) { return replay_string(yaml, "h.yaml", root / "tests", &shipped()); }

const std::string opening = R"(
case: { workflow: complaint, id: C-9, opened_at: 2026-09-30T16:00:00+08:00, attributes: { severity: major, phone: "1" } }
events:
  - { at: 2026-09-30T16:05:00+08:00, event: facts_established, data: { agent: A07 } }
)";

}  // namespace

BOOST_AUTO_TEST_CASE(every_shipped_example_history_passes) {
    int n = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "examples" / "histories")) {
        if (entry.path().extension() != ".yaml") continue;
        replay_result r = replay_file(entry.path());
        BOOST_TEST(r.passed, entry.path().string() << ": " << (r.failures.empty() ? "" : r.failures.front()));
        ++n;
    }
    BOOST_TEST(n >= 2);
}

BOOST_AUTO_TEST_CASE(expectations_that_hold) {
    replay_result r = run(opening + R"(expect:
  - { action: escalate, to: department_manager, at: 2026-09-30T16:00:00+08:00 }
  - { action: assign, to: A07 }
  - { state: investigating }
  - { state: handling }
  - { attribute: owner, value: A07 }
)");
    BOOST_TEST(r.passed);
    BOOST_TEST(r.failures.empty());
}

BOOST_AUTO_TEST_CASE(failed_expectations_say_what_happened) {
    replay_result r = run(opening + R"(expect:
  - { action: escalate, to: supervisor }
  - { state: closed }
  - { attribute: owner, value: A08 }
  - { no_action: assign }
)");
    BOOST_TEST(!r.passed);
    BOOST_TEST_REQUIRE(r.failures.size() == 4u);
    BOOST_TEST(r.failures[0] ==
               "h.yaml:6:5: expected action escalate to=supervisor; actual actions:\n"
               "    2026-09-30T08:00:00Z C-9 record text=complaint received from 1, severity major\n"
               "    2026-09-30T08:00:00Z C-9 escalate to=department_manager reason=major complaint\n"
               "    2026-09-30T08:05:00Z C-9 set owner=A07\n"
               "    2026-09-30T08:05:00Z C-9 assign to=A07");
    BOOST_TEST(r.failures[1] == "h.yaml:7:5: expected case C-9 in state 'closed', but it is in 'investigating'");
    BOOST_TEST(r.failures[2] == "h.yaml:8:5: expected attribute 'owner' = A08, but it is A07");
    BOOST_TEST(r.failures[3].rfind("h.yaml:9:5: expected no action assign, but one happened:", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(actions_are_matched_in_order) {
    replay_result r = run(opening + R"(expect:
  - { action: assign, to: A07 }
  - { action: escalate, to: department_manager }
)");
    BOOST_TEST(!r.passed);
    BOOST_TEST(r.failures.at(0).find("(after the previously matched one)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_files_are_positioned_errors) {
    auto error_of = [](const std::string& yaml) {
        try {
            run(yaml);
        } catch (const history_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    BOOST_TEST(error_of(opening + "expct: []\n") ==
               "h.yaml:5:1: unknown key 'expct' in a case history file (did you mean 'expect'?); expected one of: "
               "rules, description, case, events, expect");
    BOOST_TEST(error_of(opening + "  - { at: 2026-09-30T16:06:00+08:00, event: slved }\n") ==
               "h.yaml:5:5: workflow 'complaint' has no event 'slved' (did you mean 'solved'?)");
    BOOST_TEST(error_of(opening + "  - { at: yesterday, event: solved }\n") ==
               "h.yaml:5:11: invalid instant 'yesterday': expected ISO 8601 with an offset, e.g. 2026-09-30T16:00:00+08:00");
    BOOST_TEST(error_of(opening + "  - { at: 2026-09-30T15:00:00+08:00, event: solved }\n") ==
               "h.yaml:5:5: time cannot go back: 2026-09-30T07:00:00Z is before the engine's time 2026-09-30T08:05:00Z");
    // Columns count characters, as in rule files (已解决 is three), and a
    // byte order mark is none.
    const std::string chinese = "  - { at: 2026-09-30T16:06:00+08:00, event: solved, data: { summary: 已解决 }, oops: 1 }\n";
    const std::string expected = "h.yaml:5:77: unknown key 'oops' in an event; expected one of: at, event, data, case";
    BOOST_TEST(error_of(opening + chinese) == expected);
    BOOST_TEST(error_of("\xEF\xBB\xBF" + opening + chinese) == expected);
    // A UTF-16 file (with its byte order mark) counts the same columns.
    std::string utf16 = "\xFF\xFE";
    for (const char16_t u : std::u16string(u"case: { workflow: complaint, id: 王, opened_at: 2026-09-30T16:00:00+08:00, oops: 1 }\n")) {
        utf16 += static_cast<char>(u & 0xFF);
        utf16 += static_cast<char>(u >> 8);
    }
    BOOST_TEST(error_of(utf16) == "h.yaml:1:75: unknown key 'oops' in 'case'; expected one of: workflow, id, opened_at, attributes");
    // Without the mark too, as the YAML spec reads it (a NUL after the first character).
    BOOST_TEST(error_of(utf16.substr(2)) ==
               "h.yaml:1:75: unknown key 'oops' in 'case'; expected one of: workflow, id, opened_at, attributes");
    std::string utf32;
    for (const char c : std::string("case: {}\n")) utf32 += std::string(1, c) + std::string(3, '\0');
    BOOST_TEST(error_of(utf32) == "h.yaml:1:1: the file is UTF-32; save it as UTF-8 (or as UTF-16)");
}

BOOST_AUTO_TEST_CASE(exported_history_replays_byte_identical) {
    // Inputs of every kind (events, a rejected event, contact results) and
    // effects of every kind (deadlines, SLA clocks, escalations, deferred and
    // retried calls) replayed through a fresh engine.
    engine e{shipped()};
    auto t = [](const char* s) { return *parse_instant(s); };
    auto c = e.open("complaint", {{"severity", "major"}, {"phone", "13800000000"}, {"customer", "Li: \"VIP\", #1"}},
                    t("2026-09-30T16:00:00+08:00"), "C-1");
    e.dispatch(c, "facts_established", {{"agent", "A07"}}, t("2026-09-30T16:05:00+08:00"));
    e.dispatch(c, "replied", {}, t("2026-09-30T16:06:00+08:00"));  // rejected: also an input, also replayed
    e.dispatch(c, "cannot_solve", {{"promised_at", t("2026-10-02T16:00:00+08:00")}, {"reason", "supplier"}},
               t("2026-09-30T16:10:00+08:00"));
    e.advance_to(t("2026-10-03T00:00:00+08:00"));  // the promise is due: deadline, escalation
    e.dispatch(c, "solved", {{"summary", "fixed"}}, t("2026-10-12T10:00:00+08:00"));  // SLA breached on 10 Oct
    e.dispatch(c, "customer_rejected", {}, t("2026-10-12T10:30:00+08:00"));
    e.dispatch(c, "solved", {}, t("2026-10-12T11:00:00+08:00"));
    e.dispatch(c, "replied", {}, t("2026-10-12T11:30:00+08:00"));
    e.dispatch(c, "recorded", {}, t("2026-10-12T11:45:00+08:00"));  // return visit: a tracked call
    e.contact_result(c, contact_outcome::unreached, "A07", t("2026-10-12T11:50:00+08:00"));
    e.advance_to(t("2026-10-13T00:00:00+08:00"));  // the retry, deferred past the midday rest
    const std::string original = to_string(e.history(c));
    BOOST_TEST(original.find("timer_fired promised_reply_due") != std::string::npos);
    BOOST_TEST(original.find("contact retry_scheduled") != std::string::npos);
    BOOST_TEST(original.find("sla resolution breached") != std::string::npos);

    std::string file = e.export_history(c, "../rules");
    replay_result r = replay_string(file, "exported.yaml", root / "tests", nullptr);
    BOOST_TEST(r.passed);
    BOOST_TEST(to_string(r.timeline) == original);
    // Replaying the replay changes nothing either.
    BOOST_TEST(to_string(replay_string(file, "exported.yaml", root / "tests", nullptr).timeline) == original);
}
