// YAML rule files -> detail::rule_set_data.  Three passes: (1) every file's
// declarations (attributes, events, state tree), (2) everything that refers to
// names (targets, guards, actions, linked workflows), (3) dispatch tables.
// Errors are collected, not thrown one by one, so `caseflow check` reports
// every mistake at once; any error and nothing is returned.
#include <algorithm>
#include <deque>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <tuple>
#include <utility>
#include <sstream>

#include "caseflow/detail/model.hpp"
#include "caseflow/detail/suggest.hpp"
#include "caseflow/rules.hpp"
#include "text_file.hpp"
#include "yaml_tree.hpp"

namespace caseflow {
namespace {

using namespace detail;
using key_list = std::vector<std::string>;

struct diagnostics {
    std::vector<rule_error> errors;
    /// Runs `f`, collecting a rule_error instead of propagating it.
    template <class F>
    void guard(F&& f) {
        try {
            f();
        } catch (const rule_error& e) {
            errors.push_back(e);
        }
    }
};

source_pos pos_of(const std::string& file, const yaml::node* n) {
    if (!n) return {file, 0, 0};
    auto m = n->where();
    return {file, m.line + 1, m.column + 1};
}

[[noreturn]] void fail(const std::string& file, const yaml::node* n, const std::string& msg) {
    throw rule_error(pos_of(file, n), msg);
}

std::string join(const key_list& keys) {
    std::string s;
    for (const auto& k : keys) s += (s.empty() ? "" : ", ") + k;
    return s;
}

std::string describe_node(const yaml::node* n) {
    switch (n->type()) {
        case yaml::node::kind::map: return "a mapping";
        case yaml::node::kind::sequence: return "a list";
        case yaml::node::kind::scalar: return "'" + n->scalar() + "'";
        default: return "nothing";
    }
}

bool valid_name(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

/// Whether the key of entry `i` is also the key of an earlier entry (maps
/// are small: a scan is cheaper than building a set).
bool repeats(const yaml::children<yaml::node::entry>& entries, std::size_t i) {
    const std::string& k = entries[i].first->scalar();
    for (std::size_t j = 0; j < i; ++j)
        if (entries[j].first->scalar() == k) return true;
    return false;
}

/// One rule file being loaded: its name and the nodes pass 2 needs.
struct file_ctx {
    std::string file;
    diagnostics& diag;

    std::string scalar(const yaml::node* n, const std::string& what) const {
        if (!n->is_scalar()) fail(file, n, "expected " + what + ", found " + describe_node(n));
        return n->scalar();
    }

    std::string name(const yaml::node* n, const std::string& what) const {
        std::string s = scalar(n, what);
        if (!valid_name(s))
            fail(file, n, "invalid " + what + " '" + s +
                              "': use letters, digits and '_', starting with a letter or '_'");
        return s;
    }

    /// Checks that `n` is a mapping whose keys are all in `allowed` and none
    /// repeats; reports each offending key.
    void keys(const yaml::node* n, const key_list& allowed, const std::string& what) const {
        if (!n->is_map()) fail(file, n, "expected " + what + " as a mapping, found " + describe_node(n));
        const auto& entries = n->entries();
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& kv = entries[i];
            const std::string& k = kv.first->scalar();
            if (repeats(entries, i)) {
                diag.errors.emplace_back(pos_of(file, kv.first), "duplicate key '" + k + "' in " + what);
                continue;
            }
            if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
                diag.errors.emplace_back(pos_of(file, kv.first), "unknown key '" + k + "' in " + what +
                                                                     did_you_mean(k, allowed) +
                                                                     "; expected one of: " + join(allowed));
        }
    }

    /// Duplicate keys of a mapping whose keys are names (states, attributes).
    void unique_keys(const yaml::node* n, const std::string& what) const {
        const auto& entries = n->entries();
        for (std::size_t i = 0; i < entries.size(); ++i)
            if (repeats(entries, i))
                diag.errors.emplace_back(pos_of(file, entries[i].first),
                                         "duplicate " + what + " '" + entries[i].first->scalar() + "'");
    }

    /// Position of the first character of a scalar's text (past a quote or
    /// a block scalar's indicator, as the loader has always counted it).
    source_pos text_pos(const yaml::node* n) const {
        source_pos p = pos_of(file, n);
        if (n->quoted()) ++p.column;
        return p;
    }
};

// ---------------------------------------------------------------- types

const std::vector<std::pair<std::string, value_type>>& type_names() {
    static const std::vector<std::pair<std::string, value_type>> names = {
        {"string", value_type::string},   {"int", value_type::integer},  {"decimal", value_type::decimal},
        {"bool", value_type::boolean},    {"enum", value_type::enumeration}, {"date", value_type::date},
        {"instant", value_type::instant}, {"duration", value_type::duration}};
    return names;
}

struct typed_decl {
    slot_type type;
    bool required = false;
    slot default_value = unset_slot;
};

/// `name: string` or `name: { type: enum, values: [..], default: x, required: true }`.
typed_decl parse_typed(const file_ctx& f, const yaml::node* n, rule_set_data& rs, bool allow_default,
                       const std::string& what) {
    typed_decl d;
    const yaml::node* type_node = n->is_map() ? n->get("type") : n;
    if (n->is_map()) {
        key_list allowed = {"type", "values", "required", "description"};
        if (allow_default) allowed.insert(allowed.begin() + 2, "default");
        f.keys(n, allowed, what);
        if (!n->get("type")) fail(f.file, n, what + " needs a 'type' (one of: string, int, decimal, bool, enum, date, instant, duration)");
    }
    std::string t = f.scalar(type_node, "a type name");
    auto it = std::find_if(type_names().begin(), type_names().end(), [&](auto& p) { return p.first == t; });
    if (it == type_names().end()) {
        key_list names;
        for (auto& p : type_names()) names.push_back(p.first);
        fail(f.file, type_node, "unknown type '" + t + "'" + did_you_mean(t, names) + "; expected one of: " + join(names));
    }
    d.type.type = it->second;
    if (d.type.type == value_type::enumeration) {
        if (!n->is_map() || !n->get("values"))
            fail(f.file, type_node, "an enum needs its 'values', e.g. { type: enum, values: [minor, major] }");
        const yaml::node* vals = n->get("values");
        if (!vals->is_sequence() || vals->size() == 0)
            fail(f.file, vals, "expected 'values' as a non-empty list of names, found " + describe_node(vals));
        enum_def e;
        for (const yaml::node* v : vals->items()) {
            std::string s = f.name(v, "enum value");
            if (e.find(s) >= 0) fail(f.file, v, "duplicate enum value '" + s + "'");
            e.names.push_back(s);
        }
        d.type.enum_id = static_cast<int>(rs.enums.size());
        rs.enums.push_back(std::move(e));
    } else if (n->is_map() && n->get("values")) {
        fail(f.file, n->get("values"), "'values' is only for enum types, not " + t);
    }
    if (n->is_map()) {
        if (auto r = n->get("required")) {
            std::string s = f.scalar(r, "true or false");
            if (s != "true" && s != "false") fail(f.file, r, "expected true or false for 'required', found '" + s + "'");
            d.required = s == "true";
        }
        if (allow_default && n->get("default")) {
            const yaml::node* dn = n->get("default");
            std::string text = f.scalar(dn, "a default value");
            value v = parse_value(d.type.type, text);
            if (v.is_none())
                fail(f.file, dn, "default '" + text + "' is not a valid " + t + " value");
            try {
                d.default_value = to_slot(v, d.type, rs.strings, rs.enums, "default");
            } catch (const usage_error& e) {
                std::string m = e.what();
                fail(f.file, dn, "invalid default: " + m.substr(m.find(':') + 2));
            }
            if (d.required) fail(f.file, dn, "an attribute with a default cannot also be required; drop one of them");
        }
    }
    return d;
}

// ---------------------------------------------------------------- scopes

class scope : public expr_scope {
public:
    scope(const workflow_def& wf, const event_def* ev, const std::vector<enum_def>& enums)
        : wf_(wf), ev_(ev), enums_(enums) {}
    bool attribute(std::string_view name, std::uint32_t& index, slot_type& type) const override {
        auto i = wf_.find_attribute(name);
        if (i == no_id) return false;
        index = i;
        type = wf_.attributes[i].type;
        return true;
    }
    bool event_field(std::string_view name, std::uint32_t& index, slot_type& type) const override {
        if (!ev_) return false;
        for (std::uint32_t i = 0; i < ev_->fields.size(); ++i)
            if (ev_->fields[i].name == name) {
                index = i;
                type = ev_->fields[i].type;
                return true;
            }
        return false;
    }
    bool has_event() const override { return ev_ != nullptr; }
    std::string event_name() const override { return ev_ ? ev_->name : std::string(); }
    std::vector<std::string> attribute_names() const override {
        std::vector<std::string> v;
        for (auto& a : wf_.attributes) v.push_back(a.name);
        return v;
    }
    std::vector<std::string> event_field_names() const override {
        std::vector<std::string> v;
        if (ev_)
            for (auto& fd : ev_->fields) v.push_back(fd.name);
        return v;
    }
    const std::vector<enum_def>& enums() const override { return enums_; }

private:
    const workflow_def& wf_;
    const event_def* ev_;
    const std::vector<enum_def>& enums_;
};

// ---------------------------------------------------------------- pass 1

struct pending_state {
    std::uint32_t id;
    const yaml::node* node;  // may be null for `name: {}` / `name: ~`
};

struct pending_workflow {
    file_ctx f;
    const yaml::node* root;
    std::uint32_t id;
    std::vector<pending_state> states;
    const yaml::node* initial_node;
    bool declared = true;  // false: pass 1 failed, skip the later passes
};

const key_list workflow_keys = {"workflow", "version", "description", "calendar", "attributes", "events",
                                 "escalation", "slas", "initial", "states"};
const key_list state_keys = {"description", "entry", "exit", "on", "always", "deadlines", "initial", "states", "final"};
const key_list deadline_keys = {"name", "after", "at", "every", "event", "actions", "description"};
const key_list sla_keys = {"target", "start", "pause", "stop", "cancel", "warn_at", "on_warning", "on_breach", "description"};
const char* const contact_event_names[4] = {"contact_reached", "contact_unreached", "contact_rejected", "contact_given_up"};
const key_list transition_keys = {"target", "guard", "actions", "set", "description"};

void declare_states(pending_workflow& pw, workflow_def& wf, const yaml::node* states, std::uint32_t parent,
                    std::uint32_t depth) {
    const file_ctx& f = pw.f;
    if (!states->is_map() || states->size() == 0)
        fail(f.file, states, "expected 'states' as a mapping of state names to state definitions, found " +
                                 describe_node(states));
    f.unique_keys(states, "state");
    for (const auto& kv : states->entries()) {
        f.diag.guard([&] {
            std::string name = f.name(kv.first, "state name");
            if (wf.state_ids.count(name)) {
                if (wf.states[wf.state_ids[name]].parent != parent)
                    fail(f.file, kv.first, "state '" + name + "' is declared twice (first at " +
                                               wf.states[wf.state_ids[name]].pos.str() +
                                               "); state names must be unique in a workflow");
                return;  // same-level duplicate: already reported by unique_keys
            }
            auto id = static_cast<std::uint32_t>(wf.states.size());
            state_def s;
            s.name = name;
            s.parent = parent;
            s.depth = depth;
            s.pos = pos_of(f.file, kv.first);
            wf.states.push_back(std::move(s));
            wf.state_ids[name] = id;
            if (parent != no_id) wf.states[parent].children.push_back(id);
            const yaml::node* body = kv.second;
            if (body->is_null()) {
                pw.states.push_back({id, body});
                return;
            }
            f.keys(body, state_keys, "state '" + name + "'");
            pw.states.push_back({id, body});
            if (auto fin = body->get("final")) {
                std::string v = f.scalar(fin, "true or false");
                if (v != "true" && v != "false") fail(f.file, fin, "expected true or false for 'final', found '" + v + "'");
                wf.states[id].final = v == "true";
            }
            if (auto sub = body->get("states")) {
                if (wf.states[id].final) fail(f.file, sub, "a final state cannot have substates");
                declare_states(pw, wf, sub, id, depth + 1);
                if (!body->get("initial"))
                    fail(f.file, kv.first, "composite state '" + name + "' needs an 'initial' substate");
            } else if (auto init = body->get("initial")) {
                fail(f.file, init, "'initial' is only allowed in a state with 'states'");
            }
        });
    }
}

void declare_workflow(pending_workflow& pw, workflow_def& wf, rule_set_data& rs) {
    const file_ctx& f = pw.f;
    const yaml::node* root = pw.root;
    f.keys(root, workflow_keys, "a workflow file");
    if (!root->get("workflow")) fail(f.file, root, "missing 'workflow': every rule file starts with 'workflow: <name>'");
    wf.name = f.name(root->get("workflow"), "workflow name");
    wf.file = f.file;
    if (auto v = root->get("version")) {
        value n = parse_value(value_type::integer, f.scalar(v, "a version number"));
        if (n.is_none() || n.as_integer() < 1) fail(f.file, v, "expected 'version' as a positive integer, found '" + v->scalar() + "'");
        wf.version = n.as_integer();
    }
    if (auto c = root->get("calendar")) wf.calendar_name = f.name(c, "calendar name");
    if (auto attrs = root->get("attributes")) {
        if (!attrs->is_map()) fail(f.file, attrs, "expected 'attributes' as a mapping of names to types, found " + describe_node(attrs));
        f.unique_keys(attrs, "attribute");
        for (const auto& kv : attrs->entries()) {
            f.diag.guard([&] {
                std::string name = f.name(kv.first, "attribute name");
                if (wf.attribute_ids.count(name)) return;
                if (name == "now" || name == "event" || name == "true" || name == "false" || name == "in" || name == "not" || name == "is_set")
                    fail(f.file, kv.first, "'" + name + "' is a reserved word; choose another attribute name");
                typed_decl d = parse_typed(f, kv.second, rs, true, "attribute '" + name + "'");
                attribute_def a{name, d.type, d.required, d.default_value, pos_of(f.file, kv.first)};
                wf.attribute_ids[name] = static_cast<std::uint32_t>(wf.attributes.size());
                wf.attributes.push_back(std::move(a));
            });
        }
    }
    if (auto evs = root->get("events")) {
        auto add_event = [&](const yaml::node* key, const yaml::node* fields) {
            std::string name = f.name(key, "event name");
            if (wf.event_ids.count(name)) fail(f.file, key, "duplicate event '" + name + "'");
            event_def e{name, {}, pos_of(f.file, key)};
            if (fields && !fields->is_null()) {
                if (!fields->is_map()) fail(f.file, fields, "expected the fields of event '" + name + "' as a mapping of names to types, found " + describe_node(fields));
                f.unique_keys(fields, "field");
                for (const auto& fk : fields->entries()) {
                    f.diag.guard([&] {
                        std::string fname = f.name(fk.first, "field name");
                        typed_decl d = parse_typed(f, fk.second, rs, false, "field '" + fname + "' of event '" + name + "'");
                        e.fields.push_back({fname, d.type, d.required, pos_of(f.file, fk.first)});
                    });
                }
            }
            wf.event_ids[name] = static_cast<std::uint32_t>(wf.events.size());
            wf.events.push_back(std::move(e));
        };
        if (evs->is_sequence()) {
            for (const yaml::node* e : evs->items()) f.diag.guard([&] { add_event(e, nullptr); });
        } else if (evs->is_map()) {
            for (const auto& kv : evs->entries()) f.diag.guard([&] { add_event(kv.first, kv.second); });
        } else {
            fail(f.file, evs, "expected 'events' as a mapping of event names to their fields (or a list of names), found " + describe_node(evs));
        }
    }
    if (!root->get("states")) fail(f.file, root, "missing 'states': a workflow needs at least one state");
    declare_states(pw, wf, root->get("states"), no_id, 0);
    if (!root->get("initial")) fail(f.file, root, "missing 'initial': name the state a new case starts in");
    pw.initial_node = root->get("initial");
}

// ---------------------------------------------------------------- pass 2

struct action_spec {
    action_kind kind;
    const char* name;
    key_list params;        // allowed parameters; first is the scalar shorthand
    key_list required;
};

const std::vector<action_spec>& action_specs() {
    static const std::vector<action_spec> specs = {
        {action_kind::notify, "notify", {"to", "message", "subject"}, {"to"}},
        {action_kind::call, "call", {"to", "agent", "script", "reason", "message", "pool", "attempts", "retry", "other_agent"}, {}},
        {action_kind::sms, "sms", {"message", "to"}, {"message"}},
        {action_kind::email, "email", {"to", "subject", "message"}, {"to"}},
        {action_kind::assign, "assign", {"to", "reason"}, {"to"}},
        {action_kind::escalate, "escalate", {"to", "reason"}, {"to"}},
        {action_kind::open_case, "open_case", {"workflow", "reason", "attributes"}, {"workflow"}},
        {action_kind::record, "record", {"text"}, {"text"}},
        {action_kind::set, "set", {}, {}},
    };
    return specs;
}

struct compiler {
    rule_set_data& rs;
    file_ctx& f;
    workflow_def& wf;

    program expr(const yaml::node* n, const event_def* ev, const slot_type* expected, const std::string& what) {
        std::string text = f.scalar(n, what);
        scope sc(wf, ev, rs.enums);
        return compile_expr(text, f.text_pos(n), sc, rs.strings, expected);
    }

    std::vector<template_part> parse_template(const yaml::node* n, const event_def* ev, std::uint32_t& expr_count) {
        std::string text = f.scalar(n, "a text value");
        source_pos base = f.text_pos(n);
        std::vector<template_part> parts;
        std::size_t i = 0;
        while (i < text.size()) {
            std::size_t open = text.find("${", i);
            if (open == std::string::npos) {
                parts.push_back({text.substr(i), {}});
                break;
            }
            if (open > i) parts.push_back({text.substr(i, open - i), {}});
            std::size_t close = text.find('}', open);
            source_pos at = base;
            at.column += static_cast<int>(open + 2);
            if (close == std::string::npos) throw rule_error(at, "unterminated '${' in text: close it with '}'");
            scope sc(wf, ev, rs.enums);
            parts.push_back({"", compile_expr(text.substr(open + 2, close - open - 2), at, sc, rs.strings, nullptr)});
            ++expr_count;
            i = close + 1;
        }
        if (parts.empty()) parts.push_back({"", {}});
        return parts;
    }

    void assignments(const yaml::node* n, const event_def* ev, const workflow_def& target, action_def& a) {
        if (!n->is_map()) fail(f.file, n, "expected a mapping of attribute names to expressions, found " + describe_node(n));
        f.unique_keys(n, "assignment to");
        for (const auto& kv : n->entries()) {
            f.diag.guard([&] {
                std::string name = f.scalar(kv.first, "an attribute name");
                auto id = target.find_attribute(name);
                if (id == no_id) {
                    const key_list names = names_of(target.attributes);
                    fail(f.file, kv.first, "unknown attribute '" + name + "' of workflow '" + target.name + "'" +
                                               did_you_mean(name, names) + "; declare it under 'attributes:'");
                }
                a.sets.push_back({id, expr(kv.second, ev, &target.attributes[id].type, "an expression")});
                ++a.expr_count;
            });
        }
    }

    std::uint32_t action(const yaml::node* n, const event_def* ev) {
        if (!n->is_map())
            fail(f.file, n, "expected an action as a mapping such as '{ notify: supervisor }', found " + describe_node(n));
        action_def a;
        a.pos = pos_of(f.file, n);
        const action_spec* spec = nullptr;
        const yaml::node* body = nullptr;
        auto kinds = [] {  // for messages only
            key_list names;
            for (auto& s : action_specs()) names.push_back(s.name);
            return names;
        };
        for (const auto& kv : n->entries()) {
            std::string k = kv.first->scalar();
            if (k == "when") {
                static const slot_type boolean{value_type::boolean, -1};
                a.when = expr(kv.second, ev, &boolean, "a condition");
                continue;
            }
            auto it = std::find_if(action_specs().begin(), action_specs().end(), [&](auto& s) { return k == s.name; });
            if (it == action_specs().end())
                fail(f.file, kv.first, "unknown action '" + k + "'" + did_you_mean(k, kinds()) +
                                           "; expected one of: " + join(kinds()) + " (and an optional 'when')");
            if (spec) fail(f.file, kv.first, "one action per list item: '" + std::string(spec->name) + "' and '" + k + "' are both here; make them two items");
            spec = &*it;
            body = kv.second;
            a.pos = pos_of(f.file, kv.first);
        }
        if (!spec) fail(f.file, n, "an action needs a kind: one of " + join(kinds()));
        a.kind = spec->kind;
        const workflow_def* target = &wf;
        if (a.kind == action_kind::set) {
            assignments(body, ev, wf, a);
        } else if (body->is_scalar()) {
            if (a.kind == action_kind::open_case) {
                a.target_workflow = linked_workflow(body);
            } else {
                a.params.push_back({spec->params.front(), parse_template(body, ev, a.expr_count)});
            }
        } else if (body->is_map()) {
            f.keys(body, spec->params, "action '" + std::string(spec->name) + "'");
            for (const auto& kv : body->entries()) {
                std::string k = kv.first->scalar();
                if (std::find(spec->params.begin(), spec->params.end(), k) == spec->params.end()) continue;
                f.diag.guard([&] {
                    if (k == "workflow") {
                        a.target_workflow = linked_workflow(kv.second);
                    } else if (k == "attempts" || k == "retry" || k == "other_agent") {
                        contact_option(a, k, kv.second);
                    } else if (k != "attributes") {
                        a.params.push_back({k, parse_template(kv.second, ev, a.expr_count)});
                    }
                });
            }
            for (const auto& r : spec->required)
                if (!body->get(r)) fail(f.file, body, "action '" + std::string(spec->name) + "' needs '" + r + "'");
            if (a.kind == action_kind::open_case && a.target_workflow != no_id && body->get("attributes")) {
                target = &rs.workflows[a.target_workflow];
                assignments(body->get("attributes"), ev, *target, a);
            }
        } else {
            fail(f.file, body, "expected the parameters of '" + std::string(spec->name) + "' as a mapping or a single value, found " + describe_node(body));
        }
        if (a.kind == action_kind::escalate && !wf.ladder.empty()) {
            int to = a.param("to");
            if (to >= 0 && a.params[to].is_literal()) {
                const std::string& level = a.params[to].parts[0].text;
                key_list names;
                for (std::size_t i = 0; i < wf.ladder.size(); ++i) {
                    names.push_back(wf.ladder[i].name);
                    if (wf.ladder[i].name == level) a.escalate_level = static_cast<std::int32_t>(i);
                }
                if (a.escalate_level < 0)
                    fail(f.file, n, "escalate to '" + level + "', which is not a level of this workflow's escalation ladder" +
                                        did_you_mean(level, names) + "; expected one of: " + join(names));
            }
        }
        if (a.kind == action_kind::call && (a.attempts > 1 || a.other_agent)) {
            if (a.param("agent") < 0) fail(f.file, n, "a call with retries needs an 'agent' (e.g. agent: \"${owner}\")");
            if (a.other_agent && a.param("pool") < 0)
                fail(f.file, n, "'other_agent: true' needs a 'pool' of agents to choose from (e.g. pool: \"${agents}\")");
        }
        wf.actions.push_back(std::move(a));
        return static_cast<std::uint32_t>(wf.actions.size() - 1);
    }

    void contact_option(action_def& a, const std::string& k, const yaml::node* v) {
        std::string text = f.scalar(v, "a value");
        if (k == "attempts") {
            value n = parse_value(value_type::integer, text);
            if (n.is_none() || n.as_integer() < 1 || n.as_integer() > 100)
                fail(f.file, v, "expected 'attempts' as a whole number from 1 to 100, found '" + text + "'");
            a.attempts = static_cast<std::uint16_t>(n.as_integer());
        } else if (k == "other_agent") {
            if (text != "true" && text != "false") fail(f.file, v, "expected true or false for 'other_agent', found '" + text + "'");
            a.other_agent = text == "true";
        } else if (text == "same_working_day") {
            if (!wf.calendar) fail(f.file, v, "'retry: same_working_day' needs a calendar: add 'calendar: <name>' to the workflow");
            a.retry_same_day = true;
        } else {
            auto d = parse_duration(text);
            if (!d || d->count() <= 0)
                fail(f.file, v, "expected 'retry' as same_working_day or a positive duration such as 2h, found '" + text + "'");
            a.retry_same_day = false;
            a.retry_after = *d;
        }
    }

    // ------------------------------------------------------------ time

    business_duration span(const yaml::node* n, const std::string& what) {
        std::string text = f.scalar(n, what);
        auto d = parse_business_duration(text);
        if (!d)
            fail(f.file, n, "invalid " + what + " '" + text +
                                "': expected a duration such as 2h, P3D, 3 business_days or 24 business_hours");
        if (d->count < 0) fail(f.file, n, what + " cannot be negative");
        if (d->is_business() && !wf.calendar)
            fail(f.file, n, "'" + text + "' is working time and needs a calendar: add 'calendar: <name>' to the workflow");
        return *d;
    }

    std::uint32_t time_attribute(const yaml::node* n, const std::string& name) {
        auto id = wf.find_attribute(name);
        if (id == no_id || (wf.attributes[id].type.type != value_type::date && wf.attributes[id].type.type != value_type::instant)) {
            key_list names;
            for (auto& at : wf.attributes)
                if (at.type.type == value_type::date || at.type.type == value_type::instant) names.push_back(at.name);
            fail(f.file, n, (id == no_id ? "unknown attribute '" : "attribute '") + name +
                                (id == no_id ? "'" : "' is not a date or instant") + did_you_mean(name, names) +
                                "; a deadline is anchored on 'entry' or a date/instant attribute" +
                                (names.empty() ? std::string() : " (" + join(names) + ")"));
        }
        return id;
    }

    static std::int32_t clock_time(std::string_view t) {
        if (t.size() != 5 || t[2] != ':' || !std::isdigit(static_cast<unsigned char>(t[0])) ||
            !std::isdigit(static_cast<unsigned char>(t[1])) || !std::isdigit(static_cast<unsigned char>(t[3])) ||
            !std::isdigit(static_cast<unsigned char>(t[4])))
            return -1;
        int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
        return h < 24 && m < 60 ? h * 60 + m : -1;
    }

    /// `at:` phrases (docs/rules.md); false when `text` is not a phrase.
    bool phrase(const yaml::node* n, deadline_def& d) {
        std::string text = f.scalar(n, "a deadline");
        std::vector<std::string> w;
        std::istringstream in(text);
        for (std::string t; in >> t;) w.push_back(t);
        auto has = [&](const char* word) { return std::find(w.begin(), w.end(), word) != w.end(); };
        if (w.empty() || !(w[0] == "today" || w[0] == "on" || w[0] == "end" || (w[0] == "next" && w.size() > 1 && w[1] == "working") ||
                           has("after") || has("before")))
            return false;
        const std::string usage =
            "; expected 'N UNIT after|before ANCHOR [at HH:MM]', 'on ANCHOR [at HH:MM]', 'today at HH:MM', "
            "'end of working day' or 'next working day [at HH:MM]'";
        auto bad = [&](const std::string& why) { fail(f.file, n, "cannot read deadline '" + text + "': " + why + usage); };
        // Trailing `at HH:MM`.
        if (w.size() >= 2 && w[w.size() - 2] == "at") {
            d.time_of_day = clock_time(w.back());
            if (d.time_of_day < 0) bad("'" + w.back() + "' is not a time of day HH:MM");
            w.resize(w.size() - 2);
        }
        auto needs_calendar = [&]() {
            if (!wf.calendar) bad("working days need a calendar: add 'calendar: <name>' to the workflow");
        };
        d.how = deadline_def::kind::phrase;
        if (w.size() == 1 && w[0] == "today") {
            if (d.time_of_day < 0) bad("'today' needs a time: 'today at 18:00'");
            d.phrase = deadline_def::phrase_kind::today;
        } else if (w == std::vector<std::string>{"end", "of", "working", "day"} ||
                   w == std::vector<std::string>{"end", "of", "the", "working", "day"}) {
            if (d.time_of_day >= 0) bad("'end of working day' takes no time");
            needs_calendar();
            d.phrase = deadline_def::phrase_kind::end_of_working_day;
        } else if (w == std::vector<std::string>{"next", "working", "day"}) {
            needs_calendar();
            d.phrase = deadline_def::phrase_kind::next_working_day;
        } else if (w.size() == 2 && w[0] == "on") {
            d.phrase = deadline_def::phrase_kind::on;
            if (w[1] != "entry") d.anchor = time_attribute(n, w[1]);
        } else if ((w.size() == 4 || w.size() == 3) && (w[w.size() - 2] == "after" || w[w.size() - 2] == "before")) {
            d.phrase = w[w.size() - 2] == "after" ? deadline_def::phrase_kind::after : deadline_def::phrase_kind::before;
            std::string amount = w.size() == 4 ? w[0] + " " + w[1] : w[0];
            auto unit = [&](const std::string& u) {
                static const std::vector<std::pair<std::string, std::string>> units = {
                    {"day", "d"}, {"days", "d"}, {"hour", "h"}, {"hours", "h"}, {"minute", "m"}, {"minutes", "m"}};
                for (auto& [name, shortname] : units)
                    if (u == name) return shortname;
                return std::string();
            };
            std::optional<business_duration> off;
            if (w.size() == 4 && !unit(w[1]).empty()) {
                auto plain = parse_duration(w[0] + unit(w[1]));
                if (plain) off = business_duration::calendar(*plain);
            } else {
                off = parse_business_duration(amount);
            }
            if (!off) bad("'" + amount + "' is not a duration such as '10 days', '3 business_days' or '2h'");
            if (off->is_business()) needs_calendar();
            if (off->is_business() && d.phrase == deadline_def::phrase_kind::before)
                bad("'before' takes calendar time (days, hours, minutes), not working time");
            d.offset = *off;
            if (w.back() != "entry") d.anchor = time_attribute(n, w.back());
        } else {
            bad("unrecognised phrase");
        }
        return true;
    }

    void deadline(std::uint32_t state, const yaml::node* n, std::size_t index) {
        f.keys(n, deadline_keys, "a deadline");
        deadline_def d;
        d.state = state;
        d.pos = pos_of(f.file, n);
        d.name = n->get("name") ? f.name(n->get("name"), "deadline name") : wf.states[state].name + "#" + std::to_string(index + 1);
        int kinds = (n->get("after") ? 1 : 0) + (n->get("at") ? 1 : 0) + (n->get("every") ? 1 : 0);
        if (kinds != 1) fail(f.file, n, "a deadline needs exactly one of 'after', 'at', 'every'");
        if (auto a = n->get("after")) {
            d.how = deadline_def::kind::after;
            d.offset = span(a, "'after' duration");
        } else if (auto at = n->get("at")) {
            if (!phrase(at, d)) {
                std::string text = f.scalar(at, "a deadline");
                scope sc(wf, nullptr, rs.enums);
                d.how = deadline_def::kind::at_expr;
                d.expr = compile_expr(text, f.text_pos(at), sc, rs.strings, nullptr);
                if (d.expr.type.type != value_type::instant && d.expr.type.type != value_type::date)
                    throw rule_error(f.text_pos(at), "a deadline's 'at' must be an instant or a date, found " +
                                                         std::string(to_string(d.expr.type.type)) +
                                                         "; or a phrase such as '10 days after proof_date at 10:00'");
            }
        } else {
            const yaml::node* ev = n->get("every");
            d.how = deadline_def::kind::every;
            std::string text = f.scalar(ev, "a schedule");
            std::istringstream in(text);
            std::vector<std::string> w;
            for (std::string t; in >> t;) w.push_back(t);
            if ((w.size() == 3 || w.size() == 4) && w[w.size() - 2] == "at" &&
                (w[0] == "day" || (w.size() == 4 && w[0] == "working" && w[1] == "day"))) {
                d.every = w.size() == 4 ? deadline_def::every_kind::working_day : deadline_def::every_kind::day;
                d.time_of_day = clock_time(w.back());
                if (d.time_of_day < 0) fail(f.file, ev, "'" + w.back() + "' is not a time of day HH:MM");
                if (d.every == deadline_def::every_kind::working_day && !wf.calendar)
                    fail(f.file, ev, "'every working day' needs a calendar: add 'calendar: <name>' to the workflow");
            } else {
                auto p = parse_duration(text);
                if (!p || p->count() <= 0)
                    fail(f.file, ev, "invalid schedule '" + text + "': expected 'working day at HH:MM', 'day at HH:MM' or a positive duration such as 2h");
                d.every = deadline_def::every_kind::interval;
                d.offset = business_duration::calendar(*p);
            }
        }
        if (auto e = n->get("event")) {
            d.event = resolve_event(e);
            for (const auto& fd : wf.events[d.event].fields)
                if (fd.required)
                    fail(f.file, e, "a deadline cannot send event '" + e->scalar() + "': its field '" + fd.name + "' is required");
        }
        d.actions = actions(n->get("actions"), nullptr);
        if (d.event == no_id && d.actions.empty()) fail(f.file, n, "a deadline needs an 'event' or 'actions' to do when due");
        wf.states[state].deadlines.push_back(static_cast<std::uint32_t>(wf.deadlines.size()));
        wf.deadlines.push_back(std::move(d));
    }

    std::vector<std::uint32_t> name_list(const yaml::node* n, bool states, const std::string& what) {
        std::vector<std::uint32_t> out;
        auto one = [&](const yaml::node* x) {
            if (states) {
                out.push_back(resolve_state(x, "a state name"));
                return;
            }
            out.push_back(resolve_event(x));
        };
        if (n->is_sequence()) {
            for (const yaml::node* x : n->items()) one(x);
        } else if (n->is_scalar()) {
            one(n);
        } else {
            fail(f.file, n, "expected " + what + " as a name or a list of names");
        }
        return out;
    }

    /// `{ enter: [states], on: [events] }`
    void condition(const yaml::node* n, std::vector<std::uint32_t>& enter, std::vector<std::uint32_t>& on, const std::string& what) {
        f.keys(n, {"enter", "on"}, "'" + what + "'");
        if (auto e = n->get("enter")) enter = name_list(e, true, "'enter'");
        if (auto o = n->get("on")) on = name_list(o, false, "'on'");
        if (enter.empty() && on.empty()) fail(f.file, n, "'" + what + "' needs 'enter' (states) or 'on' (events)");
    }

    void slas(const yaml::node* n) {
        if (!n->is_map()) fail(f.file, n, "expected 'slas' as a mapping of SLA names to their definitions, found " + describe_node(n));
        f.unique_keys(n, "SLA");
        for (const auto& kv : n->entries()) {
            f.diag.guard([&] {
                sla_def s;
                s.name = f.name(kv.first, "SLA name");
                s.pos = pos_of(f.file, kv.first);
                const yaml::node* b = kv.second;
                f.keys(b, sla_keys, "SLA '" + s.name + "'");
                if (!b->get("target")) fail(f.file, kv.first, "SLA '" + s.name + "' needs a 'target' such as 3 business_days");
                s.target = span(b->get("target"), "SLA target");
                if (s.target.count == 0) fail(f.file, b->get("target"), "an SLA target must be longer than zero");
                if (auto st = b->get("start")) {
                    condition(st, s.start_enter, s.start_on, "start");
                    s.start_at_open = false;
                }
                if (auto st = b->get("stop")) condition(st, s.stop_enter, s.stop_on, "stop");
                if (auto st = b->get("cancel")) condition(st, s.cancel_enter, s.cancel_on, "cancel");
                if (auto p = b->get("pause")) {
                    f.keys(p, {"in"}, "'pause'");
                    if (!p->get("in")) fail(f.file, p, "'pause' needs 'in': the states during which the clock stands still");
                    s.pause_in = name_list(p->get("in"), true, "'in'");
                }
                if (auto w = b->get("warn_at")) {
                    if (!w->is_sequence()) fail(f.file, w, "expected 'warn_at' as a list of percentages such as [50%, 75%]");
                    for (const yaml::node* x : w->items()) {
                        std::string t = f.scalar(x, "a percentage");
                        if (!t.empty() && t.back() == '%') t.pop_back();
                        value v = parse_value(value_type::integer, t);
                        if (v.is_none() || v.as_integer() < 1 || v.as_integer() > 99 ||
                            (!s.warn_at.empty() && v.as_integer() <= s.warn_at.back()))
                            fail(f.file, x, "expected increasing percentages between 1% and 99%, found '" + x->scalar() + "'");
                        s.warn_at.push_back(static_cast<int>(v.as_integer()));
                    }
                }
                s.on_warning = actions(b->get("on_warning"), nullptr);
                s.on_breach = actions(b->get("on_breach"), nullptr);
                wf.slas.push_back(std::move(s));
            });
        }
    }

    void ladder(const yaml::node* n) {
        f.keys(n, {"levels", "handled_on", "description"}, "'escalation'");
        wf.ladder_pos = pos_of(f.file, n);
        const yaml::node* levels = n->get("levels");
        if (!levels || !levels->is_sequence() || levels->size() < 2)
            fail(f.file, levels ? levels : n, "expected 'levels' as a list of at least two levels, lowest first: [agent, supervisor, ...]");
        for (const yaml::node* l : levels->items()) {
            ladder_level lv;
            if (l->is_map()) {
                f.keys(l, {"name", "within"}, "an escalation level");
                if (!l->get("name")) fail(f.file, l, "an escalation level needs a 'name'");
                lv.name = f.name(l->get("name"), "level name");
                if (auto w = l->get("within")) {
                    lv.has_within = true;
                    lv.within = span(w, "'within' duration");
                }
            } else {
                lv.name = f.name(l, "level name");
            }
            for (auto& other : wf.ladder)
                if (other.name == lv.name) fail(f.file, l, "duplicate escalation level '" + lv.name + "'");
            wf.ladder.push_back(std::move(lv));
        }
        if (auto h = n->get("handled_on")) wf.ladder_handled_on = name_list(h, false, "'handled_on'");
    }

    std::uint32_t linked_workflow(const yaml::node* n) {
        std::string name = f.scalar(n, "a workflow name");
        auto id = rs.find_workflow(name);
        if (id == no_id) {
            const key_list names = names_of(rs.workflows);
            fail(f.file, n, "unknown workflow '" + name + "'" + did_you_mean(name, names) + "; open_case needs a workflow of this rule set");
        }
        return id;
    }

    std::vector<std::uint32_t> actions(const yaml::node* n, const event_def* ev) {
        std::vector<std::uint32_t> out;
        if (!n || n->is_null()) return out;
        if (n->is_sequence()) {
            for (const yaml::node* item : n->items()) f.diag.guard([&] { out.push_back(action(item, ev)); });
        } else {
            out.push_back(action(n, ev));
        }
        return out;
    }

    std::uint32_t resolve_event(const yaml::node* n) {
        std::string name = f.scalar(n, "an event name");
        auto id = wf.find_event(name);
        if (id == no_id) {
            const key_list names = names_of(wf.events);
            fail(f.file, n, "unknown event '" + name + "'" + did_you_mean(name, names) + "; declare it under 'events:'");
        }
        return id;
    }

    std::uint32_t resolve_state(const yaml::node* n, const std::string& what) {
        std::string name = f.scalar(n, what);
        auto id = wf.find_state(name);
        if (id == no_id) {
            const key_list names = names_of(wf.states);
            std::string hint = did_you_mean(name, names);
            fail(f.file, n, "unknown state '" + name + "'" + (hint.empty() ? "; expected one of: " + join(names) : hint));
        }
        return id;
    }

    void transition(std::uint32_t source, const yaml::node* key, const yaml::node* n, std::uint32_t event) {
        const event_def* ev = event == no_id ? nullptr : &wf.events[event];
        transition_def t;
        t.source = source;
        t.event = event;
        t.pos = pos_of(f.file, key ? key : n);
        if (n->is_scalar()) {
            t.target = resolve_state(n, "a target state");
            t.pos = pos_of(f.file, n);
        } else if (n->is_map()) {
            f.keys(n, transition_keys, "a transition");
            t.pos = pos_of(f.file, n);
            if (auto tg = n->get("target")) t.target = resolve_state(tg, "a target state");
            if (auto g = n->get("guard")) {
                static const slot_type boolean{value_type::boolean, -1};
                t.guard = expr(g, ev, &boolean, "a guard expression");
            }
            if (auto s = n->get("set")) {
                action_def a;
                a.kind = action_kind::set;
                a.pos = pos_of(f.file, s);
                assignments(s, ev, wf, a);
                wf.actions.push_back(std::move(a));
                t.actions.push_back(static_cast<std::uint32_t>(wf.actions.size() - 1));
            }
            auto more = actions(n->get("actions"), ev);
            t.actions.insert(t.actions.end(), more.begin(), more.end());
            if (event == no_id && t.target == no_id)
                fail(f.file, n, "an eventless ('always') transition needs a 'target'");
        } else {
            fail(f.file, n, "expected a target state name or a transition mapping { target, guard, actions }, found " + describe_node(n));
        }
        auto id = static_cast<std::uint32_t>(wf.transitions.size());
        wf.transitions.push_back(std::move(t));
        if (event == no_id) wf.states[source].eventless.push_back(id);
    }

    void state(const pending_state& ps) {
        state_def& s = wf.states[ps.id];
        const yaml::node* body = ps.node;
        if (!body || body->is_null()) return;
        if (auto init = body->get("initial")) {
            f.diag.guard([&] {
                auto id = resolve_state(init, "an initial substate");
                if (wf.states[id].parent != ps.id)
                    fail(f.file, init, "initial state '" + wf.states[id].name + "' is not a direct substate of '" + s.name + "'");
                s.initial = id;
            });
        }
        f.diag.guard([&] { wf.states[ps.id].entry = actions(body->get("entry"), nullptr); });
        f.diag.guard([&] { wf.states[ps.id].exit = actions(body->get("exit"), nullptr); });
        if (s.final && (body->get("on") || body->get("always") || body->get("exit")))
            f.diag.errors.emplace_back(pos_of(f.file, body->get("on") ? body->get("on") : body->get("always") ? body->get("always") : body->get("exit")),
                                       "final state '" + s.name + "' cannot have transitions or exit actions");
        if (auto on = body->get("on")) {
            if (!on->is_map()) fail(f.file, on, "expected 'on' as a mapping of event names to transitions, found " + describe_node(on));
            f.unique_keys(on, "event in 'on' of state '" + s.name + "'");
            for (const auto& kv : on->entries()) {
                f.diag.guard([&] {
                    const std::uint32_t eid = resolve_event(kv.first);
                    if (kv.second->is_sequence()) {
                        for (const yaml::node* alt : kv.second->items()) f.diag.guard([&] { transition(ps.id, nullptr, alt, eid); });
                    } else {
                        transition(ps.id, kv.first, kv.second, eid);
                    }
                });
            }
        }
        if (auto dl = body->get("deadlines")) {
            if (!dl->is_sequence()) fail(f.file, dl, "expected 'deadlines' as a list, found " + describe_node(dl));
            std::size_t i = 0;
            for (const yaml::node* d : dl->items()) f.diag.guard([&] { deadline(ps.id, d, i++); });
        }
        if (auto always = body->get("always")) {
            if (always->is_sequence()) {
                for (const yaml::node* alt : always->items()) f.diag.guard([&] { transition(ps.id, nullptr, alt, no_id); });
            } else {
                transition(ps.id, nullptr, always, no_id);
            }
        }
    }
};

// ---------------------------------------------------------------- pass 3

std::uint32_t leaf_of(const workflow_def& wf, std::uint32_t s) {
    while (wf.states[s].composite()) s = wf.states[s].initial;
    return s;
}

bool is_ancestor(const workflow_def& wf, std::uint32_t a, std::uint32_t s) {  // a strict ancestor of s
    for (s = wf.states[s].parent; s != no_id; s = wf.states[s].parent)
        if (s == a) return true;
    return false;
}

step make_step(workflow_def& wf, std::uint32_t leaf, std::uint32_t tid) {
    const transition_def& t = wf.transitions[tid];
    step st;
    st.transition = tid;
    auto here = static_cast<std::uint32_t>(wf.path.size());
    st.exit_begin = st.exit_end = st.entry_begin = st.entry_end = here;
    if (t.target == no_id) return st;  // internal: no exit, no entry
    // Domain: the nearest strict ancestor of the source that is also a strict
    // ancestor of the target (external semantics: a self-transition exits and
    // re-enters its state).
    std::uint32_t domain = wf.states[t.source].parent;
    while (domain != no_id && !is_ancestor(wf, domain, t.target)) domain = wf.states[domain].parent;
    for (std::uint32_t s = leaf; s != domain; s = wf.states[s].parent) wf.path.push_back(s);
    st.exit_end = st.entry_begin = static_cast<std::uint32_t>(wf.path.size());
    std::vector<std::uint32_t> down;
    for (std::uint32_t s = t.target; s != domain; s = wf.states[s].parent) down.push_back(s);
    wf.path.insert(wf.path.end(), down.rbegin(), down.rend());
    for (std::uint32_t s = t.target; wf.states[s].composite();) {
        s = wf.states[s].initial;
        wf.path.push_back(s);
    }
    st.entry_end = static_cast<std::uint32_t>(wf.path.size());
    st.target_leaf = leaf_of(wf, t.target);
    return st;
}

void build_tables(workflow_def& wf) {
    const auto ns = static_cast<std::uint32_t>(wf.states.size());
    const auto ne = static_cast<std::uint32_t>(wf.events.size());
    wf.dispatch_table.assign(static_cast<std::size_t>(ns) * ne + 1, 0);
    wf.eventless_table.assign(ns + 1, 0);
    // Transitions per (state, event) in document order.
    std::vector<std::vector<std::uint32_t>> by_state_event(static_cast<std::size_t>(ns) * ne);
    for (std::uint32_t i = 0; i < wf.transitions.size(); ++i) {
        const auto& t = wf.transitions[i];
        if (t.event != no_id) by_state_event[static_cast<std::size_t>(t.source) * ne + t.event].push_back(i);
    }
    for (std::uint32_t leaf = 0; leaf < ns; ++leaf) {
        for (std::uint32_t e = 0; e < ne; ++e) {
            wf.dispatch_table[static_cast<std::size_t>(leaf) * ne + e] = static_cast<std::uint32_t>(wf.steps.size());
            if (wf.states[leaf].composite()) continue;  // a composite is never the active leaf
            for (std::uint32_t s = leaf; s != no_id; s = wf.states[s].parent)
                for (auto tid : by_state_event[static_cast<std::size_t>(s) * ne + e]) wf.steps.push_back(make_step(wf, leaf, tid));
        }
    }
    wf.dispatch_table[static_cast<std::size_t>(ns) * ne] = static_cast<std::uint32_t>(wf.steps.size());
    // Eventless steps: an atomic state's own `always` transitions; a composite
    // state's `always` transitions are completion transitions, taken once its
    // active substate is final.
    for (std::uint32_t leaf = 0; leaf < ns; ++leaf) {
        wf.eventless_table[leaf] = static_cast<std::uint32_t>(wf.steps.size());
        const state_def& s = wf.states[leaf];
        if (s.composite()) continue;
        for (auto tid : s.eventless) wf.steps.push_back(make_step(wf, leaf, tid));
        if (s.final && s.parent != no_id)
            for (auto tid : wf.states[s.parent].eventless) wf.steps.push_back(make_step(wf, leaf, tid));
    }
    wf.eventless_table[ns] = static_cast<std::uint32_t>(wf.steps.size());
    for (auto& st : wf.steps) {
        bool silent = true, untimed = true;  // no exit or entry actions, no deadlines on the way
        for (auto i = st.exit_begin; silent && i < st.entry_end; ++i) {
            const state_def& s = wf.states[wf.path[i]];
            silent = s.entry.empty() && s.exit.empty();
            untimed = untimed && s.deadlines.empty();
        }
        const bool still = silent && untimed;
        const bool acts = !wf.transitions[st.transition].actions.empty();
        if (silent && st.target_leaf != no_id) {
            const state_def& leaf = wf.states[st.target_leaf];
            const bool quiet = wf.eventless_table[st.target_leaf] == wf.eventless_table[st.target_leaf + 1];
            st.closes = still && !acts && quiet && leaf.final && leaf.parent == no_id;
            st.plain = still && !acts && quiet && !leaf.final;
            st.acting = still && acts && quiet && !leaf.final;
            st.timed = !untimed && quiet && !leaf.final;
        } else {
            st.plain = still && !acts;
        }
    }
    wf.initial_leaf = leaf_of(wf, wf.initial);
    wf.initial_entry.clear();
    for (std::uint32_t s = wf.initial;;) {
        wf.initial_entry.push_back(s);
        if (!wf.states[s].composite()) break;
        s = wf.states[s].initial;
    }
}

// ---------------------------------------------------------------- driver

/// Parses `text` into a new document of `docs` (a deque: documents stay put).
const yaml::node* parse_yaml(std::deque<yaml::document>& docs, const std::string& text, const std::string& file) {
    try {
        return &docs.emplace_back(text).root();
    } catch (const yaml::syntax_error& e) {
        throw rule_error({file, e.where().line + 1, e.where().column + 1}, e.report());
    }
}

rule_set load(const std::vector<std::pair<std::string, std::string>>& sources, const std::filesystem::path& calendar_dir) {
    auto rs = std::make_unique<rule_set_data>();
    diagnostics diag;
    std::error_code ec;
    if (!calendar_dir.empty() && std::filesystem::is_directory(calendar_dir, ec)) {
        try {
            rs->calendars = load_calendars(calendar_dir.string());
        } catch (const rule_errors& e) {
            diag.errors.insert(diag.errors.end(), e.errors().begin(), e.errors().end());
        } catch (const rule_error& e) {
            diag.errors.push_back(e);
        }
    }
    std::deque<yaml::document> docs;  // the nodes pending refers to
    std::vector<pending_workflow> pending;
    pending.reserve(sources.size());
    for (const auto& source : sources) {
        const std::string& file = source.first;
        const std::string& text = source.second;
        rs->files.push_back(file);
        diag.guard([&] {
            const yaml::node* root = parse_yaml(docs, text, file);
            if (!root->is_map()) throw rule_error({file, 1, 1}, "expected a workflow mapping ('workflow: <name>', 'states: ...'), found " + describe_node(root));
            auto id = static_cast<std::uint32_t>(rs->workflows.size());
            rs->workflows.emplace_back();
            pending.push_back({file_ctx{file, diag}, root, id, {}, {}});
            try {
                declare_workflow(pending.back(), rs->workflows.back(), *rs);
            } catch (const rule_error&) {
                pending.back().declared = false;
                throw;
            }
            const auto& name = rs->workflows.back().name;
            auto it = rs->workflow_ids.find(name);
            if (it != rs->workflow_ids.end())
                fail(file, root->get("workflow"), "workflow '" + name + "' is already defined in " + rs->workflows[it->second].file);
            rs->workflow_ids[name] = id;
        });
    }
    for (auto& pw : pending) {
        if (!pw.declared) continue;
        workflow_def& wf = rs->workflows[pw.id];
        compiler c{*rs, pw.f, wf};
        const yaml::node* root = pw.root;
        if (auto cal = root->get("calendar")) {
            diag.guard([&] {
                wf.calendar = rs->calendars.find(wf.calendar_name);
                if (!wf.calendar) {
                    auto names = rs->calendars.names();
                    fail(pw.f.file, cal, "unknown calendar '" + wf.calendar_name + "'" + did_you_mean(wf.calendar_name, names) +
                                             (names.empty() ? "; no calendars are loaded (put them in <rules>/calendars/)"
                                                            : "; expected one of: " + join(names)));
                }
            });
        }
        if (auto esc = root->get("escalation")) diag.guard([&] { c.ladder(esc); });
        for (int k = 0; k < 4; ++k) wf.contact_events[k] = wf.find_event(contact_event_names[k]);
        diag.guard([&] {
            wf.initial = c.resolve_state(pw.initial_node, "an initial state");
            if (wf.states[wf.initial].parent != no_id)
                fail(pw.f.file, pw.initial_node, "initial state '" + wf.states[wf.initial].name + "' must be a top-level state");
        });
        for (const auto& ps : pw.states) diag.guard([&] { c.state(ps); });
        if (auto sl = root->get("slas")) diag.guard([&] { c.slas(sl); });
    }
    if (!diag.errors.empty()) {
        // Report in reading order: by file (load order), then line, column.
        auto file_rank = [&](const std::string& f) {
            return std::find(rs->files.begin(), rs->files.end(), f) - rs->files.begin();
        };
        std::stable_sort(diag.errors.begin(), diag.errors.end(), [&](const rule_error& a, const rule_error& b) {
            auto ka = std::make_tuple(file_rank(a.pos().file), a.pos().line, a.pos().column);
            auto kb = std::make_tuple(file_rank(b.pos().file), b.pos().line, b.pos().column);
            return ka < kb;
        });
        throw rule_errors(std::move(diag.errors));
    }
    for (auto& wf : rs->workflows) build_tables(wf);
    return rule_set(rs.release());
}

std::string read_file(const std::filesystem::path& p) {
    std::string text;
    if (!detail::read_text_file(p.string(), text))
        throw rule_error({p.string(), 0, 0}, "cannot read rule file: " + std::string(std::strerror(errno)));
    return text;
}

}  // namespace

rule_set::rule_set(const rule_set_data* data) noexcept : data_(retain(data)) {}
rule_set::rule_set(const rule_set& o) noexcept : data_(retain(o.data_)) {}
rule_set::rule_set(rule_set&& o) noexcept : data_(std::exchange(o.data_, nullptr)) {}
rule_set& rule_set::operator=(const rule_set& o) noexcept {
    copy_assign(data_, o.data_);
    return *this;
}
rule_set& rule_set::operator=(rule_set&& o) noexcept {
    move_assign(data_, o.data_);
    return *this;
}
rule_set::~rule_set() { release(data_); }

std::vector<std::string> rule_set::workflows() const {
    std::vector<std::string> names;
    if (data_)
        for (auto& [n, id] : data_->workflow_ids) names.push_back(n);
    return names;
}

bool rule_set::has_workflow(std::string_view name) const {
    return data_ && data_->find_workflow(name) != no_id;
}

const std::vector<std::string>& rule_set::files() const {
    static const std::vector<std::string> none;
    return data_ ? data_->files : none;
}

rule_set load_rules(const std::string& given) {
    // Normalized, so the same files give the same positions in histories
    // however the host spelled the path ("tests/../rules" is "rules").
    const std::filesystem::path path = std::filesystem::path(given).lexically_normal();
    std::vector<std::pair<std::string, std::string>> sources;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(path)) {
            auto ext = entry.path().extension();
            if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        if (files.empty()) throw rule_error({path.string(), 0, 0}, "no rule files (*.yaml) in this directory");
        for (const auto& p : files) sources.emplace_back(p.string(), read_file(p));
    } else {
        if (!std::filesystem::exists(path, ec)) throw rule_error({path.string(), 0, 0}, "no such file or directory");
        sources.emplace_back(path.string(), read_file(path));
    }
    const auto dir = std::filesystem::is_directory(path, ec) ? path : path.parent_path();
    return load(sources, dir / "calendars");
}

rule_set load_rules_from_string(std::string_view yaml, const std::string& name, const std::string& calendars) {
    return load({{name, std::string(yaml)}}, std::filesystem::path(calendars));
}

}  // namespace caseflow
