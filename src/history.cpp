#include "caseflow/action.hpp"
#include "caseflow/history.hpp"

namespace caseflow {

std::string_view to_string(record_kind k) {
    switch (k) {
        case record_kind::opened: return "opened";
        case record_kind::event: return "event";
        case record_kind::rejected: return "rejected";
        case record_kind::transition: return "transition";
        case record_kind::action: return "action";
        case record_kind::timer_set: return "timer_set";
        case record_kind::timer_fired: return "timer_fired";
        case record_kind::timer_cancelled: return "timer_cancelled";
        case record_kind::sla: return "sla";
        case record_kind::escalation: return "escalation";
        case record_kind::contact: return "contact";
        case record_kind::closed: return "closed";
        case record_kind::note: return "note";
    }
    return "?";
}

std::string_view to_string(action_kind k) {
    switch (k) {
        case action_kind::notify: return "notify";
        case action_kind::call: return "call";
        case action_kind::sms: return "sms";
        case action_kind::email: return "email";
        case action_kind::assign: return "assign";
        case action_kind::escalate: return "escalate";
        case action_kind::open_case: return "open_case";
        case action_kind::record: return "record";
        case action_kind::set: return "set";
    }
    return "?";
}

namespace {
std::string_view lookup(const std::vector<std::pair<std::string, std::string>>& v, std::string_view name) {
    for (const auto& [k, val] : v)
        if (k == name) return val;
    return {};
}
}  // namespace

std::string_view action::param(std::string_view name) const { return lookup(params, name); }
std::string_view history_entry::field(std::string_view name) const { return lookup(fields, name); }

std::string history_entry::to_string() const {
    std::string s = format_instant(at) + ' ' + case_id + ' ' + std::string(caseflow::to_string(kind)) + ' ' + subject;
    if (!fields.empty()) {
        s += " {";
        bool first = true;
        for (const auto& [k, v] : fields) {
            if (!first) s += ", ";
            first = false;
            s += k + ": " + v;
        }
        s += '}';
    }
    if (origin.line > 0) s += " @" + origin.str();
    return s;
}

std::string to_string(const std::vector<history_entry>& history) {
    std::string s;
    for (const auto& e : history) s += e.to_string() + '\n';
    return s;
}

}  // namespace caseflow
