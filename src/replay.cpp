// Case history files (docs/replay.md): open a case, feed its timed inputs
// through a fresh engine, then check the expectations against what happened.
#include "caseflow/replay.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "caseflow/detail/suggest.hpp"
#include "caseflow/engine.hpp"
#include "text_file.hpp"

namespace caseflow {
namespace {

struct reader {
    std::string file;
    std::string_view text;

    /// A yaml-cpp mark as a position: 1-based, the column in characters as
    /// for rule files (docs/rules.md), where yaml-cpp counts bytes (and, like
    /// libyaml, no column for a byte order mark).
    source_pos pos(const YAML::Mark& m) const {
        if (m.is_null()) return {file, 0, 0};
        std::size_t start = detail::bom_length(text);
        for (int l = 0; l < m.line && start != std::string_view::npos; ++l) {
            start = text.find('\n', start);
            if (start != std::string_view::npos) ++start;
        }
        const int column = start == std::string_view::npos ? m.column
                                                          : detail::char_count(text.substr(start, static_cast<std::size_t>(m.column)));
        return {file, m.line + 1, column + 1};
    }
    [[noreturn]] void fail(const YAML::Node& n, const std::string& msg) const {
        throw history_error(pos(n.Mark()).str() + ": " + msg);
    }
    void keys(const YAML::Node& n, const std::vector<std::string>& allowed, const std::string& what) const {
        if (!n.IsMap()) fail(n, "expected " + what + " as a mapping");
        for (const auto& kv : n) {
            std::string k = kv.first.Scalar();
            if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
                std::string list;
                for (auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
                fail(kv.first, "unknown key '" + k + "' in " + what + detail::did_you_mean(k, allowed) +
                                   "; expected one of: " + list);
            }
        }
    }
    std::string scalar(const YAML::Node& n, const std::string& what) const {
        if (!n || !n.IsScalar()) fail(n, "expected " + what);
        return n.Scalar();
    }
    instant time(const YAML::Node& n) const {
        auto t = parse_instant(scalar(n, "an instant such as 2026-09-30T16:00:00+08:00"));
        if (!t) fail(n, "invalid instant '" + n.Scalar() + "': expected ISO 8601 with an offset, e.g. 2026-09-30T16:00:00+08:00");
        return *t;
    }
    value_map values(const YAML::Node& n, const std::string& what) const {
        value_map out;
        if (!n || n.IsNull()) return out;
        if (!n.IsMap()) fail(n, "expected " + what + " as a mapping of names to values");
        for (const auto& kv : n) out.emplace(kv.first.Scalar(), value(scalar(kv.second, "a scalar value")));
        return out;
    }
};

}  // namespace

replay_result replay_string(const std::string& yaml, const std::string& name, const std::string& base,
                            const rule_set* given) {
    if (detail::is_utf32(yaml)) throw history_error(name + ":1:1: the file is UTF-32; save it as UTF-8 (or as UTF-16)");
    const std::string utf8 = detail::utf8_of_utf16(yaml);  // positions count in UTF-8
    const std::string& text = utf8.empty() ? yaml : utf8;
    const reader rd{name, text};
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        throw history_error(rd.pos(e.mark).str() + ": YAML syntax error: " + e.msg);
    }
    rd.keys(root, {"rules", "description", "case", "events", "expect"}, "a case history file");
    rule_set rules;
    if (given) {
        rules = *given;
    } else {
        if (!root["rules"]) rd.fail(root, "missing 'rules': the rule directory, relative to this file");
        rules = load_rules((std::filesystem::path(base) / rd.scalar(root["rules"], "a path")).string());
    }
    const YAML::Node c = root["case"];
    if (!c) rd.fail(root, "missing 'case': { workflow, id, opened_at, attributes }");
    rd.keys(c, {"workflow", "id", "opened_at", "attributes"}, "'case'");
    if (!c["opened_at"]) rd.fail(c, "'case' needs 'opened_at'");

    engine eng(rules);
    std::vector<action> actions;
    eng.on_action([&](const action& a) { actions.push_back(a); });
    auto guarded = [&](const YAML::Node& n, auto&& f) {
        try {
            f();
        } catch (const usage_error& e) {
            rd.fail(n, e.what());
        }
    };
    case_id main;
    guarded(c, [&] {
        main = eng.open(rd.scalar(c["workflow"], "a workflow name"), rd.values(c["attributes"], "'attributes'"),
                        rd.time(c["opened_at"]), c["id"] ? rd.scalar(c["id"], "a case id") : std::string());
    });
    if (const YAML::Node evs = root["events"]) {
        if (!evs.IsSequence()) rd.fail(evs, "expected 'events' as a list");
        for (const auto& ev : evs) {
            if (ev.IsMap() && ev["advance_to"]) {
                rd.keys(ev, {"advance_to"}, "an advance_to step");
                guarded(ev, [&] { eng.advance_to(rd.time(ev["advance_to"])); });
                continue;
            }
            if (ev.IsMap() && ev["contact"]) {
                rd.keys(ev, {"at", "contact", "agent", "case"}, "a contact result");
                if (!ev["at"]) rd.fail(ev, "a contact result needs 'at'");
                std::string outcome = rd.scalar(ev["contact"], "reached, unreached or rejected");
                contact_outcome o;
                if (outcome == "reached") o = contact_outcome::reached;
                else if (outcome == "unreached") o = contact_outcome::unreached;
                else if (outcome == "rejected") o = contact_outcome::rejected;
                else rd.fail(ev["contact"], "unknown contact result '" + outcome + "': expected reached, unreached or rejected");
                guarded(ev, [&] {
                    case_id target = ev["case"] ? eng.find(rd.scalar(ev["case"], "a case id")) : main;
                    eng.contact_result(target, o, ev["agent"] ? rd.scalar(ev["agent"], "an agent") : std::string(),
                                       rd.time(ev["at"]));
                });
                continue;
            }
            rd.keys(ev, {"at", "event", "data", "case"}, "an event");
            if (!ev["at"] || !ev["event"]) rd.fail(ev, "an event needs 'at' and 'event' (or use { advance_to: ... })");
            guarded(ev, [&] {
                case_id target = ev["case"] ? eng.find(rd.scalar(ev["case"], "a case id")) : main;
                eng.dispatch(target, rd.scalar(ev["event"], "an event name"), rd.values(ev["data"], "'data'"), rd.time(ev["at"]));
            });
        }
    }

    replay_result result;
    result.file = name;
    result.timeline = eng.timeline();
    std::size_t next_action = 0;
    const YAML::Node expect = root["expect"];
    if (expect && !expect.IsSequence()) rd.fail(expect, "expected 'expect' as a list");
    auto where = [&](const YAML::Node& n) { return rd.pos(n.Mark()).str() + ": "; };
    auto actions_text = [&]() {
        std::string s;
        for (const auto& a : actions) {
            s += "\n    " + format_instant(a.at) + " " + a.case_id + " " + std::string(to_string(a.kind));
            for (const auto& [k, v] : a.params) s += " " + k + "=" + v;
        }
        return s.empty() ? std::string("\n    (no actions)") : s;
    };
    for (const auto& ex : expect) {
        if (!ex.IsMap()) rd.fail(ex, "expected an expectation mapping such as { state: closed }");
        auto case_of = [&]() { return ex["case"] ? eng.find(rd.scalar(ex["case"], "a case id")) : main; };
        if (ex["action"] || ex["no_action"]) {
            bool negative = !ex["action"];
            std::string kind = rd.scalar(negative ? ex["no_action"] : ex["action"], "an action kind");
            std::optional<instant> at;
            if (ex["at"]) at = rd.time(ex["at"]);
            std::string case_name = ex["case"] ? rd.scalar(ex["case"], "a case id") : std::string();
            std::map<std::string, std::string> params;
            for (const auto& kv : ex) {
                std::string k = kv.first.Scalar();
                if (k != "action" && k != "no_action" && k != "at" && k != "case") params[k] = rd.scalar(kv.second, "a parameter value");
            }
            auto matches = [&](const action& a) {
                if (to_string(a.kind) != kind) return false;
                if (at && a.at != *at) return false;
                if (!case_name.empty() && a.case_id != case_name) return false;
                for (const auto& [k, v] : params)
                    if (a.param(k) != v) return false;
                return true;
            };
            std::string want = kind;
            for (const auto& [k, v] : params) want += " " + k + "=" + v;
            if (at) want += " at " + format_instant(*at);
            if (negative) {
                for (const auto& a : actions)
                    if (matches(a)) {
                        result.failures.push_back(where(ex) + "expected no action " + want + ", but one happened:" + actions_text());
                        break;
                    }
            } else {
                std::size_t i = next_action;
                while (i < actions.size() && !matches(actions[i])) ++i;
                if (i == actions.size())
                    result.failures.push_back(where(ex) + "expected action " + want +
                                              (next_action ? " (after the previously matched one)" : "") + "; actual actions:" + actions_text());
                else
                    next_action = i + 1;
            }
        } else if (ex["state"]) {
            rd.keys(ex, {"state", "case"}, "a state expectation");
            std::string st = rd.scalar(ex["state"], "a state name");
            case_id id = case_of();
            if (!eng.in_state(id, st))
                result.failures.push_back(where(ex) + "expected case " + eng.name(id) + " in state '" + st + "', but it is in '" + eng.state(id) + "'");
        } else if (ex["attribute"]) {
            rd.keys(ex, {"attribute", "value", "case"}, "an attribute expectation");
            std::string an = rd.scalar(ex["attribute"], "an attribute name");
            std::string want = ex["value"] ? rd.scalar(ex["value"], "a value") : "~";
            std::string got;
            guarded(ex, [&] { got = eng.attribute(case_of(), an).to_string(); });
            if (got != want)
                result.failures.push_back(where(ex) + "expected attribute '" + an + "' = " + want + ", but it is " + got);
        } else if (ex["rejected"]) {
            rd.keys(ex, {"rejected", "case"}, "a rejected expectation");
            std::string en = rd.scalar(ex["rejected"], "an event name");
            bool found = false;
            for (const auto& e : result.timeline) found |= e.kind == record_kind::rejected && e.subject == en;
            if (!found) result.failures.push_back(where(ex) + "expected event '" + en + "' to be rejected, but it was not");
        } else if (ex["closed"]) {
            rd.keys(ex, {"closed", "case"}, "a closed expectation");
            bool want = rd.scalar(ex["closed"], "true or false") == "true";
            case_id id = case_of();
            if (eng.closed(id) != want)
                result.failures.push_back(where(ex) + "expected case " + eng.name(id) + (want ? " closed" : " open") + ", but it is " +
                                          (eng.closed(id) ? "closed in '" : "open in '") + eng.state(id) + "'");
        } else if (ex["history"]) {
            rd.keys(ex, {"history", "case"}, "a history expectation");
            std::string want = rd.scalar(ex["history"], "the expected history text");
            std::string got = to_string(eng.history(case_of()));
            if (got != want) result.failures.push_back(where(ex) + "history differs; expected:\n" + want + "actual:\n" + got);
        } else {
            rd.fail(ex, "unknown expectation: use one of action, no_action, state, attribute, rejected, closed, history");
        }
    }
    result.passed = result.failures.empty();
    return result;
}

replay_result replay_file(const std::string& file, const rule_set* rules) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw history_error(file + ": cannot read case history file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return replay_string(ss.str(), file, std::filesystem::path(file).parent_path().string(), rules);
}

}  // namespace caseflow
