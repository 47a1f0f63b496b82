// The interpreter.  A case is a small record (workflow, active leaf, offset of
// its attribute slots, version); the history is one append-ordered log of
// fixed-size records for all cases, chained per case, with event data and
// computed action parameters kept as slots in a side arena.  Text is made
// only when a history is read or an action is handed to the host's sink.
#include "caseflow/engine.hpp"

#include <algorithm>
#include <unordered_map>

#include <yaml-cpp/yaml.h>

#include "caseflow/detail/model.hpp"
#include "caseflow/detail/suggest.hpp"

namespace caseflow {

using namespace detail;

std::string_view to_string(dispatch_status s) {
    switch (s) {
        case dispatch_status::accepted: return "accepted";
        case dispatch_status::no_transition: return "no transition accepts this event in the current state";
        case dispatch_status::case_closed: return "the case is closed";
    }
    return "?";
}

namespace {

struct case_rec {
    std::uint32_t workflow = 0;
    std::uint32_t leaf = 0;
    std::uint32_t attrs = 0;        // offset into impl::attrs_
    std::uint32_t last = no_id;     // last history record of this case
    std::uint32_t version = 0;
    std::uint16_t children = 0;     // linked cases opened so far
    bool closed = false;
};

struct record {
    std::int64_t at;
    std::uint32_t case_index;
    std::uint32_t prev;     // previous record of the same case
    record_kind kind;
    std::uint8_t code = 0;  // note code / dispatch status
    std::uint32_t a = 0;    // event / transition / action / state id
    std::uint32_t b = 0;    // from-leaf / linked case
    std::uint32_t payload = 0;  // start in impl::payload_
    std::uint32_t count = 0;    // slots in the payload
};

enum note_code : std::uint8_t { note_completion_limit = 1 };

}  // namespace

struct engine::impl {
    rule_set rules;
    const rule_set_data* rs;
    engine_options options;
    string_pool strings;
    std::vector<case_rec> cases;
    std::vector<slot> attrs;
    std::vector<std::string> names;
    std::unordered_map<std::string, std::uint32_t> by_name;
    std::vector<std::uint32_t> opened_per_workflow;
    std::vector<record> log;
    std::vector<slot> payload;
    std::vector<slot> scratch;  // evaluated action expressions, reused
    std::int64_t now = std::numeric_limits<std::int64_t>::min();
    std::function<void(const action&)> sink;

    explicit impl(rule_set r, engine_options o) : rules(std::move(r)), rs(&rules.data()), options(o) {
        for (std::uint32_t i = 0; i < rs->strings.size(); ++i) strings.intern(rs->strings.get(i));
        opened_per_workflow.assign(rs->workflows.size(), 0);
    }

    const workflow_def& wf_of(const case_rec& c) const { return rs->workflows[c.workflow]; }

    case_rec& get(case_id c) {
        if (c.index >= cases.size()) throw usage_error("unknown case id " + std::to_string(c.index));
        return cases[c.index];
    }
    const case_rec& get(case_id c) const { return const_cast<impl*>(this)->get(c); }

    void set_time(std::int64_t t) {
        if (t < now)
            throw usage_error("time cannot go back: " + format_instant(instant{duration{t}}) + " is before the engine's time " +
                              format_instant(instant{duration{now}}));
        now = t;
    }

    std::uint32_t append(std::uint32_t ci, record_kind kind, std::uint32_t a, std::uint32_t b, const slot* data,
                         std::uint32_t count, std::uint8_t code = 0) {
        if (!options.keep_history) return no_id;
        case_rec& c = cases[ci];
        record r{now, ci, c.last, kind, code, a, b, static_cast<std::uint32_t>(payload.size()), count};
        if (count) payload.insert(payload.end(), data, data + count);
        c.last = static_cast<std::uint32_t>(log.size());
        log.push_back(r);
        return c.last;
    }

    eval_context ctx(const case_rec& c, const slot* ev) const {
        return eval_context{attrs.data() + c.attrs, ev, &strings, now};
    }

    // ------------------------------------------------------------ actions

    void run_actions(std::uint32_t ci, const std::vector<std::uint32_t>& ids, const slot* ev) {
        for (auto id : ids) run_action(ci, id, ev);
    }

    void run_action(std::uint32_t ci, std::uint32_t id, const slot* ev) {
        const workflow_def& wf = wf_of(cases[ci]);
        const action_def& a = wf.actions[id];
        if (!a.when.empty() && evaluate(a.when, ctx(cases[ci], ev)) != 1) return;
        scratch.clear();
        for (const auto& p : a.params)
            for (const auto& part : p.parts)
                if (!part.expr.empty()) scratch.push_back(evaluate(part.expr, ctx(cases[ci], ev)));
        for (const auto& s : a.sets) scratch.push_back(evaluate(s.expr, ctx(cases[ci], ev)));
        std::uint32_t linked = no_id;
        if (a.kind == action_kind::set) {
            slot* at = attrs.data() + cases[ci].attrs;
            for (std::size_t i = 0; i < a.sets.size(); ++i) at[a.sets[i].attribute] = scratch[i];
        } else if (a.kind == action_kind::open_case) {
            linked = open_linked(ci, a);
        }
        std::uint32_t rec = append(ci, record_kind::action, id, linked, scratch.data(),
                                   static_cast<std::uint32_t>(scratch.size()));
        if (sink) {
            action out;
            out.case_id = names[ci];
            out.at = instant{duration{now}};
            out.kind = a.kind;
            out.origin = a.pos;
            out.params = render_params(cases[ci], a, scratch.data(), linked);
            sink(out);
        }
        (void)rec;
    }

    std::uint32_t open_linked(std::uint32_t parent, const action_def& a) {
        const workflow_def& target = rs->workflows[a.target_workflow];
        std::string name = names[parent] + "/" + std::to_string(++cases[parent].children);
        std::vector<slot> values(target.attributes.size(), unset_slot);
        for (std::uint32_t i = 0; i < target.attributes.size(); ++i) values[i] = target.attributes[i].default_value;
        for (std::size_t i = 0; i < a.sets.size(); ++i) values[a.sets[i].attribute] = scratch[scratch.size() - a.sets.size() + i];
        std::vector<slot> saved = scratch;  // the child's own actions reuse scratch
        std::uint32_t child = create(a.target_workflow, std::move(values), name, parent);
        scratch = std::move(saved);
        return child;
    }

    std::vector<std::pair<std::string, std::string>> render_params(const case_rec& c, const action_def& a,
                                                                    const slot* values, std::uint32_t linked) const {
        const workflow_def& wf = wf_of(c);
        std::vector<std::pair<std::string, std::string>> out;
        std::size_t k = 0;
        for (const auto& p : a.params) {
            std::string text;
            for (const auto& part : p.parts)
                if (part.expr.empty())
                    text += part.text;
                else if (slot v = values[k++]; v != unset_slot)  // an unset value renders as nothing
                    text += format_slot(v, part.expr.type, strings, rs->enums);
            out.emplace_back(p.name, std::move(text));
        }
        if (a.kind == action_kind::open_case) {
            const workflow_def& target = rs->workflows[a.target_workflow];
            out.emplace_back("workflow", target.name);
            if (linked != no_id) out.emplace_back("case", names[linked]);
            for (const auto& s : a.sets)
                out.emplace_back(target.attributes[s.attribute].name,
                                 format_slot(values[k++], target.attributes[s.attribute].type, strings, rs->enums));
        } else {
            for (const auto& s : a.sets)
                out.emplace_back(wf.attributes[s.attribute].name,
                                 format_slot(values[k++], wf.attributes[s.attribute].type, strings, rs->enums));
        }
        return out;
    }

    // ------------------------------------------------------------ stepping

    void take(std::uint32_t ci, const step& st, const slot* ev, std::uint32_t event) {
        const workflow_def& wf = wf_of(cases[ci]);
        const transition_def& t = wf.transitions[st.transition];
        std::uint32_t from = cases[ci].leaf;
        std::uint32_t to = st.target_leaf == no_id ? from : st.target_leaf;
        append(ci, record_kind::transition, st.transition, from, nullptr, 0);
        (void)event;
        for (auto i = st.exit_begin; i < st.exit_end; ++i) run_actions(ci, wf.states[wf.path[i]].exit, nullptr);
        run_actions(ci, t.actions, ev);
        cases[ci].leaf = to;
        for (auto i = st.entry_begin; i < st.entry_end; ++i) run_actions(ci, wf.states[wf.path[i]].entry, nullptr);
        check_closed(ci);
    }

    void check_closed(std::uint32_t ci) {
        case_rec& c = cases[ci];
        const state_def& s = wf_of(c).states[c.leaf];
        if (s.final && s.parent == no_id && !c.closed) {
            c.closed = true;
            append(ci, record_kind::closed, c.leaf, 0, nullptr, 0);
        }
    }

    /// Takes eventless transitions until none is enabled (run to completion).
    void complete(std::uint32_t ci) {
        for (std::uint32_t n = 0; !cases[ci].closed; ++n) {
            const workflow_def& wf = wf_of(cases[ci]);
            const step* chosen = nullptr;
            for (auto i = wf.eventless_table[cases[ci].leaf]; i < wf.eventless_table[cases[ci].leaf + 1]; ++i) {
                const step& st = wf.steps[i];
                const program& g = wf.transitions[st.transition].guard;
                if (g.empty() || evaluate(g, ctx(cases[ci], nullptr)) == 1) {
                    chosen = &st;
                    break;
                }
            }
            if (!chosen) return;
            if (n == options.max_completion_steps) {
                append(ci, record_kind::note, no_id, 0, nullptr, 0, note_completion_limit);
                return;
            }
            take(ci, *chosen, nullptr, no_id);
        }
    }

    dispatch_result run_event(std::uint32_t ci, std::uint32_t event, const slot* ev) {
        case_rec& c = cases[ci];
        const workflow_def& wf = wf_of(c);
        const auto nfields = static_cast<std::uint32_t>(wf.events[event].fields.size());
        if (c.closed) {
            append(ci, record_kind::rejected, event, 0, ev, nfields, static_cast<std::uint8_t>(dispatch_status::case_closed));
            return {dispatch_status::case_closed};
        }
        const std::size_t cell = static_cast<std::size_t>(c.leaf) * wf.events.size() + event;
        for (auto i = wf.dispatch_table[cell]; i < wf.dispatch_table[cell + 1]; ++i) {
            const step& st = wf.steps[i];
            const program& g = wf.transitions[st.transition].guard;
            if (!g.empty() && evaluate(g, ctx(c, ev)) != 1) continue;
            ++c.version;
            append(ci, record_kind::event, event, 0, ev, nfields);
            take(ci, st, ev, event);
            complete(ci);
            return {dispatch_status::accepted};
        }
        append(ci, record_kind::rejected, event, 0, ev, nfields, static_cast<std::uint8_t>(dispatch_status::no_transition));
        return {dispatch_status::no_transition};
    }

    std::uint32_t create(std::uint32_t w, std::vector<slot> values, std::string name, std::uint32_t parent) {
        if (by_name.count(name)) throw usage_error("a case named '" + name + "' is already open in this engine");
        const workflow_def& wf = rs->workflows[w];
        auto ci = static_cast<std::uint32_t>(cases.size());
        case_rec c;
        c.workflow = w;
        c.leaf = wf.initial_leaf;
        c.attrs = static_cast<std::uint32_t>(attrs.size());
        c.version = 1;
        attrs.insert(attrs.end(), values.begin(), values.end());
        cases.push_back(c);
        by_name.emplace(name, ci);
        names.push_back(std::move(name));
        ++opened_per_workflow[w];
        append(ci, record_kind::opened, w, parent, values.data(), static_cast<std::uint32_t>(values.size()));
        for (auto s : wf.initial_entry) run_actions(ci, wf.states[s].entry, nullptr);
        check_closed(ci);
        complete(ci);
        return ci;
    }

    // ------------------------------------------------------------ rendering

    history_entry render(const record& r) const {
        const case_rec& c = cases[r.case_index];
        const workflow_def& wf = wf_of(c);
        history_entry e;
        e.at = instant{duration{r.at}};
        e.case_id = names[r.case_index];
        e.kind = r.kind;
        const slot* data = payload.data() + r.payload;
        auto event_fields = [&](std::uint32_t event) {
            const auto& fields = wf.events[event].fields;
            for (std::size_t i = 0; i < fields.size(); ++i)
                if (data[i] != unset_slot) e.fields.emplace_back(fields[i].name, format_slot(data[i], fields[i].type, strings, rs->enums));
        };
        switch (r.kind) {
            case record_kind::opened:
                e.subject = wf.name;
                if (r.b != no_id) e.fields.emplace_back("parent", names[r.b]);
                for (std::size_t i = 0; i < wf.attributes.size(); ++i)
                    if (data[i] != unset_slot)
                        e.fields.emplace_back(wf.attributes[i].name, format_slot(data[i], wf.attributes[i].type, strings, rs->enums));
                break;
            case record_kind::event:
                e.subject = wf.events[r.a].name;
                event_fields(r.a);
                break;
            case record_kind::rejected:
                e.subject = wf.events[r.a].name;
                event_fields(r.a);
                e.fields.emplace_back("reason", std::string(to_string(static_cast<dispatch_status>(r.code))));
                break;
            case record_kind::transition: {
                const transition_def& t = wf.transitions[r.a];
                std::string from = wf.states[r.b].name;
                e.subject = t.target == no_id ? from + " (internal)" : from + " -> " + wf.states[leaf_after(wf, r)].name;
                e.fields.emplace_back("on", t.event == no_id ? std::string("(completion)") : wf.events[t.event].name);
                e.origin = t.pos;
                break;
            }
            case record_kind::action: {
                const action_def& a = wf.actions[r.a];
                e.subject = std::string(to_string(a.kind));
                e.fields = render_params(c, a, data, r.b);
                e.origin = a.pos;
                break;
            }
            case record_kind::closed: e.subject = wf.states[r.a].name; break;
            case record_kind::note:
                e.subject = r.code == note_completion_limit
                                ? "completion loop stopped after " + std::to_string(options.max_completion_steps) + " eventless steps; check the rules' 'always' guards"
                                : "note";
                break;
            default: e.subject = std::string(to_string(r.kind)); break;
        }
        return e;
    }

    static std::uint32_t leaf_after(const workflow_def& wf, const record& r) {
        const transition_def& t = wf.transitions[r.a];
        std::uint32_t s = t.target;
        while (wf.states[s].composite()) s = wf.states[s].initial;
        return s;
    }

    std::vector<const record*> records(std::uint32_t ci) const {
        std::vector<const record*> out;
        for (auto i = cases[ci].last; i != no_id; i = log[i].prev) out.push_back(&log[i]);
        std::reverse(out.begin(), out.end());
        return out;
    }
};

engine::engine(rule_set rules, engine_options options) : impl_(std::make_unique<impl>(std::move(rules), options)) {
    if (impl_->rules.empty()) throw usage_error("engine needs a loaded rule set");
}
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

void engine::on_action(std::function<void(const action&)> sink) { impl_->sink = std::move(sink); }

case_id engine::open(std::string_view workflow, const value_map& attributes, instant at, std::string_view name) {
    impl& m = *impl_;
    auto w = m.rs->find_workflow(workflow);
    if (w == no_id) {
        throw usage_error("unknown workflow '" + std::string(workflow) + "'" + did_you_mean(workflow, m.rules.workflows()));
    }
    const workflow_def& wf = m.rs->workflows[w];
    std::vector<slot> values(wf.attributes.size());
    for (std::size_t i = 0; i < wf.attributes.size(); ++i) values[i] = wf.attributes[i].default_value;
    for (const auto& [k, v] : attributes) {
        auto id = wf.find_attribute(k);
        if (id == no_id) {
            std::vector<std::string> names;
            for (auto& a : wf.attributes) names.push_back(a.name);
            throw usage_error("workflow '" + wf.name + "' has no attribute '" + k + "'" + did_you_mean(k, names));
        }
        values[id] = to_slot(v, wf.attributes[id].type, m.strings, m.rs->enums, "attribute '" + k + "'");
    }
    for (std::size_t i = 0; i < wf.attributes.size(); ++i)
        if (wf.attributes[i].required && values[i] == unset_slot)
            throw usage_error("workflow '" + wf.name + "' requires attribute '" + wf.attributes[i].name + "' (" +
                              wf.attributes[i].pos.str() + ")");
    std::string case_name = name.empty() ? wf.name + "-" + std::to_string(m.opened_per_workflow[w] + 1) : std::string(name);
    if (m.by_name.count(case_name)) throw usage_error("a case named '" + case_name + "' is already open in this engine");
    advance_to(at);
    return case_id{m.create(w, std::move(values), std::move(case_name), no_id)};
}

dispatch_result engine::dispatch(case_id c, std::string_view event, const value_map& data, instant at) {
    impl& m = *impl_;
    const case_rec& cr = m.get(c);
    const workflow_def& wf = m.wf_of(cr);
    auto e = wf.find_event(event);
    if (e == no_id) {
        std::vector<std::string> names;
        for (auto& ev : wf.events) names.push_back(ev.name);
        throw usage_error("workflow '" + wf.name + "' has no event '" + std::string(event) + "'" + did_you_mean(event, names));
    }
    const auto& fields = wf.events[e].fields;
    std::vector<slot> ev(fields.size(), unset_slot);
    for (const auto& kv : data) {
        const std::string& k = kv.first;
        const value& v = kv.second;
        auto it = std::find_if(fields.begin(), fields.end(), [&](const field_def& f) { return f.name == k; });
        if (it == fields.end()) {
            std::vector<std::string> names;
            for (auto& f : fields) names.push_back(f.name);
            throw usage_error("event '" + wf.events[e].name + "' has no field '" + k + "'" + did_you_mean(k, names));
        }
        ev[static_cast<std::size_t>(it - fields.begin())] =
            to_slot(v, it->type, m.strings, m.rs->enums, "field '" + k + "' of event '" + wf.events[e].name + "'");
    }
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].required && ev[i] == unset_slot)
            throw usage_error("event '" + wf.events[e].name + "' requires field '" + fields[i].name + "'");
    advance_to(at);
    return m.run_event(c.index, e, ev.data());
}

dispatch_result engine::dispatch(case_id c, event_id e, instant at) {
    impl& m = *impl_;
    const case_rec& cr = m.get(c);
    if (e.workflow != cr.workflow) throw usage_error("event id belongs to another workflow than case '" + m.names[c.index] + "'");
    const auto& fields = m.wf_of(cr).events[e.index].fields;
    static const slot none[1] = {unset_slot};
    for (const auto& f : fields)
        if (f.required) throw usage_error("event '" + m.wf_of(cr).events[e.index].name + "' requires field '" + f.name + "'");
    advance_to(at);
    if (fields.empty()) return m.run_event(c.index, e.index, none);
    std::vector<slot> ev(fields.size(), unset_slot);
    return m.run_event(c.index, e.index, ev.data());
}

event_id engine::event(std::string_view workflow, std::string_view event) const {
    const impl& m = *impl_;
    auto w = m.rs->find_workflow(workflow);
    if (w == no_id) throw usage_error("unknown workflow '" + std::string(workflow) + "'");
    auto e = m.rs->workflows[w].find_event(event);
    if (e == no_id) throw usage_error("workflow '" + std::string(workflow) + "' has no event '" + std::string(event) + "'");
    return {w, e};
}

void engine::advance_to(instant t) { impl_->set_time(t.time_since_epoch().count()); }

instant engine::now() const { return instant{duration{impl_->now}}; }

case_id engine::find(std::string_view name) const {
    auto it = impl_->by_name.find(std::string(name));
    if (it == impl_->by_name.end()) throw usage_error("no case named '" + std::string(name) + "'");
    return {it->second};
}
const std::string& engine::name(case_id c) const {
    impl_->get(c);
    return impl_->names[c.index];
}
const std::string& engine::workflow(case_id c) const { return impl_->wf_of(impl_->get(c)).name; }
const std::string& engine::state(case_id c) const {
    const case_rec& cr = impl_->get(c);
    return impl_->wf_of(cr).states[cr.leaf].name;
}
std::vector<std::string> engine::configuration(case_id c) const {
    const case_rec& cr = impl_->get(c);
    const workflow_def& wf = impl_->wf_of(cr);
    std::vector<std::string> out;
    for (auto s = cr.leaf; s != no_id; s = wf.states[s].parent) out.push_back(wf.states[s].name);
    return out;
}
bool engine::in_state(case_id c, std::string_view state) const {
    const case_rec& cr = impl_->get(c);
    const workflow_def& wf = impl_->wf_of(cr);
    for (auto s = cr.leaf; s != no_id; s = wf.states[s].parent)
        if (wf.states[s].name == state) return true;
    return false;
}
bool engine::closed(case_id c) const { return impl_->get(c).closed; }
value engine::attribute(case_id c, std::string_view name) const {
    const case_rec& cr = impl_->get(c);
    const workflow_def& wf = impl_->wf_of(cr);
    auto id = wf.find_attribute(name);
    if (id == no_id) throw usage_error("workflow '" + wf.name + "' has no attribute '" + std::string(name) + "'");
    return from_slot(impl_->attrs[cr.attrs + id], wf.attributes[id].type, impl_->strings, impl_->rs->enums);
}
value_map engine::attributes(case_id c) const {
    const case_rec& cr = impl_->get(c);
    const workflow_def& wf = impl_->wf_of(cr);
    value_map out;
    for (std::size_t i = 0; i < wf.attributes.size(); ++i)
        out.emplace(wf.attributes[i].name, from_slot(impl_->attrs[cr.attrs + i], wf.attributes[i].type, impl_->strings, impl_->rs->enums));
    return out;
}
std::uint64_t engine::version(case_id c) const { return impl_->get(c).version; }
std::size_t engine::case_count() const { return impl_->cases.size(); }

std::vector<history_entry> engine::history(case_id c) const {
    impl_->get(c);
    if (!impl_->options.keep_history) throw usage_error("history is off (engine_options::keep_history)");
    std::vector<history_entry> out;
    for (const record* r : impl_->records(c.index)) out.push_back(impl_->render(*r));
    return out;
}

std::vector<history_entry> engine::timeline() const {
    if (!impl_->options.keep_history) throw usage_error("history is off (engine_options::keep_history)");
    std::vector<history_entry> out;
    out.reserve(impl_->log.size());
    for (const record& r : impl_->log) out.push_back(impl_->render(r));
    return out;
}

std::string engine::export_history(case_id c, std::string_view rules_path) const {
    const impl& m = *impl_;
    m.get(c);
    if (!m.options.keep_history) throw usage_error("history is off (engine_options::keep_history)");
    const case_rec& cr = m.cases[c.index];
    const workflow_def& wf = m.wf_of(cr);
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "rules" << YAML::Value << std::string(rules_path);
    // Inputs only: the rendered entries also carry derived fields (an opened
    // case's parent, a rejection's reason), which are skipped here.
    auto fields_map = [&](const history_entry& e, std::size_t skip_front, std::size_t skip_back) {
        out << YAML::Flow << YAML::BeginMap;
        for (std::size_t i = skip_front; i + skip_back < e.fields.size(); ++i)
            out << YAML::Key << e.fields[i].first << YAML::Value << e.fields[i].second;
        out << YAML::EndMap;
    };
    auto recs = m.records(c.index);
    for (const record* r : recs) {
        if (r->kind != record_kind::opened) continue;
        history_entry e = m.render(*r);
        out << YAML::Key << "case" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "workflow"
            << YAML::Value << wf.name << YAML::Key << "id" << YAML::Value << m.names[c.index] << YAML::Key
            << "opened_at" << YAML::Value << format_instant(e.at) << YAML::Key << "attributes" << YAML::Value;
        fields_map(e, r->b != no_id ? 1 : 0, 0);
        out << YAML::EndMap;
    }
    out << YAML::Key << "events" << YAML::Value << YAML::BeginSeq;
    for (const record* r : recs) {
        if (r->kind == record_kind::event || r->kind == record_kind::rejected) {
            history_entry e = m.render(*r);
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "at" << YAML::Value << format_instant(e.at)
                << YAML::Key << "event" << YAML::Value << e.subject << YAML::Key << "data" << YAML::Value;
            fields_map(e, 0, r->kind == record_kind::rejected ? 1 : 0);
            out << YAML::EndMap;
        } else if (r->kind == record_kind::timer_fired) {
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "advance_to" << YAML::Value
                << format_instant(instant{duration{r->at}}) << YAML::EndMap;
        }
    }
    out << YAML::EndSeq << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

const rule_set& engine::rules() const { return impl_->rules; }

}  // namespace caseflow
