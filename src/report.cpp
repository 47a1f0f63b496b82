// Daily digests and period statistics, read from case histories only.
#include "caseflow/report.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>
#include <sstream>

#include <date/date.h>

#include "caseflow/detail/json.hpp"

namespace caseflow {

using detail::json_quote;

// ------------------------------------------------------------------ case views

instant case_view::opened_at() const { return entries.empty() ? instant{} : entries.front().at; }

std::string_view case_view::attribute(std::string_view name) const {
    auto it = attributes.find(name);
    return it == attributes.end() ? std::string_view{} : std::string_view(it->second);
}

namespace {

case_view view_of(const engine& eng, case_id c) {
    case_view v;
    v.id = eng.name(c);
    v.workflow = eng.workflow(c);
    v.state = eng.state(c);
    v.closed = eng.closed(c);
    for (const auto& [k, val] : eng.attributes(c))
        if (!val.is_none()) v.attributes.emplace(k, val.to_string());
    v.entries = eng.history(c);
    return v;
}

}  // namespace

std::vector<case_view> cases_of(const engine& eng) {
    std::vector<case_view> out;
    out.reserve(eng.case_count());
    for (std::uint32_t i = 0; i < eng.case_count(); ++i) out.push_back(view_of(eng, case_id{i}));
    return out;
}

std::vector<case_view> cases_of(const engine& eng, instant since) {
    // Case indexes follow opening order (the engine's time never goes back),
    // so the first case opened at or after `since` is found by bisection.
    auto n = static_cast<std::uint32_t>(eng.case_count());
    std::uint32_t lo = 0, hi = n;
    while (lo < hi) {
        std::uint32_t mid = lo + (hi - lo) / 2;
        auto h = eng.history(case_id{mid});
        if (!h.empty() && h.front().at < since)
            lo = mid + 1;
        else
            hi = mid;
    }
    std::vector<case_view> out;
    for (std::uint32_t i = 0; i < n; ++i)
        if (i >= lo || !eng.closed(case_id{i})) out.push_back(view_of(eng, case_id{i}));
    return out;
}

std::vector<case_view> cases_of(const std::vector<history_entry>& timeline) {
    std::vector<case_view> out;
    std::map<std::string, std::size_t, std::less<>> index;
    for (const auto& e : timeline) {
        auto it = index.find(e.case_id);
        if (it == index.end()) {
            it = index.emplace(e.case_id, out.size()).first;
            out.emplace_back();
            out.back().id = e.case_id;
        }
        case_view& v = out[it->second];
        switch (e.kind) {
            case record_kind::opened:
                v.workflow = e.subject;
                for (const auto& [k, val] : e.fields)
                    if (k != "parent") v.attributes[k] = val;
                break;
            case record_kind::transition: {
                auto arrow = e.subject.find(" -> ");
                if (arrow != std::string::npos) v.state = e.subject.substr(arrow + 4);
                break;
            }
            case record_kind::action:
                if (e.subject == "set")
                    for (const auto& [k, val] : e.fields) v.attributes[k] = val;
                break;
            case record_kind::closed:
                v.closed = true;
                v.state = e.subject;
                break;
            default: break;
        }
        v.entries.push_back(e);
    }
    return out;
}

// ------------------------------------------------------------------ helpers

namespace {

int offset_at(const report_options& o, instant t) { return o.cal ? o.cal->utc_offset_minutes(t) : o.utc_offset_minutes; }

std::string local(const report_options& o, instant t) { return format_instant(t, offset_at(o, t)); }

/// `2026-10-09 14:05` (local), for compact text reports.
std::string short_local(const report_options& o, instant t) {
    std::string s = local(o, t);
    return s.substr(0, 10) + ' ' + s.substr(11, 5);
}

instant at_local(const report_options& o, date_t day, duration tod) {
    if (o.cal) return o.cal->at_local(day, tod);
    return instant{std::chrono::duration_cast<duration>(day.time_since_epoch())} + tod -
           std::chrono::minutes(o.utc_offset_minutes);
}

date::sys_days to_sys(date_t d) { return date::sys_days{date::days{d.time_since_epoch().count()}}; }
date_t from_sys(date::sys_days d) { return date_t{days{d.time_since_epoch().count()}}; }

/// Per-case facts the reports need, read once from the entries.
struct facts {
    instant opened;
    std::optional<instant> closed_at;
    struct escalation {
        instant at;
        std::string to, reason;
    };
    std::vector<escalation> escalations;
    struct sla_change {
        instant at;
        std::string name, change;
    };
    std::vector<sla_change> slas;
};

facts read_facts(const case_view& c) {
    facts f;
    f.opened = c.opened_at();
    for (const auto& e : c.entries) {
        if (e.kind == record_kind::closed && !f.closed_at) f.closed_at = e.at;
        if (e.kind == record_kind::action && e.subject == "escalate")
            f.escalations.push_back({e.at, std::string(e.field("to")), std::string(e.field("reason"))});
        if (e.kind == record_kind::sla) {
            auto sp = e.subject.rfind(' ');
            if (sp != std::string::npos) f.slas.push_back({e.at, e.subject.substr(0, sp), e.subject.substr(sp + 1)});
        }
    }
    return f;
}

bool in(instant t, instant from, instant to) { return t > from && t <= to; }  // digest window (from, to]
bool in_period(instant t, instant from, instant to) { return t >= from && t < to; }

/// The leaf state at `t`: the target of the last transition at or before `t`.
std::string state_at(const case_view& c, instant t) {
    std::string s;
    bool any = false;
    for (const auto& e : c.entries) {
        if (e.kind != record_kind::transition) continue;
        auto arrow = e.subject.find(" -> ");
        if (arrow == std::string::npos) continue;
        if (e.at > t) {
            if (!any) return e.subject.substr(0, arrow);
            break;
        }
        any = true;
        s = e.subject.substr(arrow + 4);
    }
    return any ? s : c.state;
}

bool is_major_complaint(const case_view& c) {
    return c.workflow.find("complaint") != std::string::npos && c.attribute("severity") == "major";
}

std::string customer_of(const case_view& c) {
    for (const char* a : {"customer", "name", "owner_name", "phone"})
        if (auto v = c.attribute(a); !v.empty()) return std::string(v);
    return {};
}

digest_item item_of(const case_view& c, const report_options& o, instant t, std::string reason, instant since) {
    return digest_item{c.id,           c.workflow,  state_at(c, t), owner_of(c, o), customer_of(c),
                       std::string(c.attribute("severity")), std::move(reason), since};
}


}  // namespace

std::string supervisor_of(const case_view& c, const report_options& o) {
    if (auto s = c.attribute("supervisor"); !s.empty()) return std::string(s);
    if (auto it = o.supervisor_of_workflow.find(c.workflow); it != o.supervisor_of_workflow.end()) return it->second;
    return "supervisor";
}

std::string owner_of(const case_view& c, const report_options& o) {
    for (const auto& a : o.owner_attributes)
        if (auto v = c.attribute(a); !v.empty()) return std::string(v);
    for (auto it = c.entries.rbegin(); it != c.entries.rend(); ++it)
        if (it->kind == record_kind::action && it->subject == "assign" && !it->field("to").empty())
            return std::string(it->field("to"));
    return "(unassigned)";
}

// ------------------------------------------------------------------ digest

daily_digest make_daily_digest(const std::vector<case_view>& cases, date_t day, const report_options& o) {
    daily_digest d;
    d.day = day;
    d.to = at_local(o, day, o.digest_time);
    d.from = at_local(o, day - days(1), o.digest_time);
    std::map<std::string, supervisor_digest> by_sup;
    for (const auto& c : cases) {
        if (c.entries.empty()) continue;
        facts f = read_facts(c);
        if (f.opened > d.to) continue;
        bool open = !(f.closed_at && *f.closed_at <= d.to);
        if (in(f.opened, d.from, d.to)) ++d.opened;
        if (f.closed_at && in(*f.closed_at, d.from, d.to)) ++d.closed;
        if (open) ++d.open_at_cutoff;
        bool major = is_major_complaint(c);
        bool new_major = major && in(f.opened, d.from, d.to);
        if (new_major) {
            by_sup[supervisor_of(c, o)].major_complaints.push_back(
                item_of(c, o, d.to, open ? "major complaint" : "major complaint (closed the same day)", f.opened));
        }
        if (!open || new_major) continue;
        // Urgent: open at the cutoff with a breached SLA, an escalation, or a
        // major complaint carried over from an earlier day.
        std::vector<std::string> reasons;
        std::optional<instant> since;
        std::map<std::string, facts::sla_change> last_sla;
        for (const auto& s : f.slas)
            if (s.at <= d.to) last_sla[s.name] = s;
        for (const auto& [name, s] : last_sla)
            if (s.change == "breached") {
                reasons.push_back("SLA " + name + " breached");
                if (!since || s.at < *since) since = s.at;
            }
        const facts::escalation* last_esc = nullptr;
        for (const auto& e : f.escalations)
            if (e.at <= d.to) last_esc = &e;
        if (last_esc) {
            reasons.push_back("escalated to " + last_esc->to + (last_esc->reason.empty() ? "" : ": " + last_esc->reason));
            if (!since || last_esc->at < *since) since = last_esc->at;
        }
        if (major && reasons.empty()) {
            reasons.push_back("major complaint still open");
            since = f.opened;
        }
        if (reasons.empty()) continue;
        std::string reason;
        for (const auto& r : reasons) reason += (reason.empty() ? "" : "; ") + r;
        by_sup[supervisor_of(c, o)].urgent.push_back(item_of(c, o, d.to, reason, *since));
    }
    auto by_since = [](const digest_item& a, const digest_item& b) {
        return a.since != b.since ? a.since < b.since : a.case_id < b.case_id;
    };
    for (auto& [name, s] : by_sup) {
        s.supervisor = name;
        std::sort(s.major_complaints.begin(), s.major_complaints.end(), by_since);
        std::sort(s.urgent.begin(), s.urgent.end(), by_since);
        d.supervisors.push_back(std::move(s));
    }
    return d;
}

daily_digest make_daily_digest(const engine& eng, date_t day, const report_options& o) {
    // Every case: one closed long ago may still have closed inside the window.
    // Rendering all histories costs ~20 ms per 3000 cases, so no shortcut.
    return make_daily_digest(cases_of(eng), day, o);
}

// ------------------------------------------------------------------ statistics

period_stats make_period_stats(const std::vector<case_view>& cases, instant from, instant to, std::string label,
                               const report_options& o) {
    period_stats p;
    p.label = std::move(label);
    p.from = from;
    p.to = to;
    std::map<std::string, agent_stats> agents;
    std::map<std::string, workflow_stats> workflows;
    std::map<std::pair<std::string, std::string>, sla_stats> slas;
    for (const auto& c : cases) {
        if (c.entries.empty()) continue;
        facts f = read_facts(c);
        if (f.opened >= to) continue;
        std::string owner = owner_of(c, o);
        agent_stats& a = agents[owner];
        workflow_stats& w = workflows[c.workflow];
        if (in_period(f.opened, from, to)) ++p.opened, ++a.opened, ++w.opened;
        if (f.closed_at && in_period(*f.closed_at, from, to)) {
            ++p.closed, ++a.closed, ++w.closed;
            if (in_period(f.opened, from, to)) {
                w.total_time_to_close += *f.closed_at - f.opened;
                ++w.closed_of_opened;
            }
        }
        if (!(f.closed_at && *f.closed_at < to)) ++w.open_at_end;
        for (const auto& e : f.escalations)
            if (in_period(e.at, from, to)) ++p.escalations, ++a.escalations, ++w.escalations;
        std::map<std::string, std::string> last;  // SLA name -> last change before `to`
        for (const auto& s : f.slas) {
            if (s.at >= to) continue;
            last[s.name] = s.change;
            sla_stats& row = slas[{c.workflow, s.name}];
            if (!in_period(s.at, from, to)) continue;
            if (s.change == "started") ++row.started;
            else if (s.change == "warned") ++row.warned;
            else if (s.change == "met") ++row.met, ++p.sla_met, ++a.sla_met;
            else if (s.change == "breached") ++row.breached, ++p.sla_breached, ++a.sla_breached;
            else if (s.change == "cancelled") ++row.cancelled;
        }
        for (const auto& [name, change] : last)
            if (change != "met" && change != "breached" && change != "cancelled") ++slas[{c.workflow, name}].running;
    }
    for (auto& [name, a] : agents) {
        a.agent = name;
        if (name != "(unassigned)") p.agents.push_back(a);
    }
    if (auto it = agents.find("(unassigned)"); it != agents.end()) p.agents.push_back(it->second);
    for (auto& [name, w] : workflows) {
        w.workflow = name;
        p.workflows.push_back(w);
    }
    for (auto& [key, s] : slas) {
        s.workflow = key.first;
        s.sla = key.second;
        p.slas.push_back(s);
    }
    return p;
}

period_stats weekly_stats(const std::vector<case_view>& cases, date_t day, const report_options& o) {
    date::sys_days d = to_sys(day);
    date::weekday wd{d};
    date::sys_days monday = d - date::days{(wd.c_encoding() + 6) % 7};
    date::sys_days thursday = monday + date::days{3};
    date::year y = date::year_month_day{thursday}.year();
    date::sys_days jan1 = date::sys_days{y / date::January / 1};
    int week = static_cast<int>((thursday - jan1).count() / 7 + 1);
    char label[32];
    std::snprintf(label, sizeof label, "week %d-W%02d", static_cast<int>(y), week);
    return make_period_stats(cases, at_local(o, from_sys(monday), duration::zero()),
                             at_local(o, from_sys(monday + date::days{7}), duration::zero()), label, o);
}

period_stats monthly_stats(const std::vector<case_view>& cases, date_t day, const report_options& o) {
    date::year_month_day ymd{to_sys(day)};
    date::year_month first = ymd.year() / ymd.month();
    date::year_month next = first + date::months{1};
    char label[32];
    std::snprintf(label, sizeof label, "month %d-%02u", static_cast<int>(first.year()), static_cast<unsigned>(first.month()));
    return make_period_stats(cases, at_local(o, from_sys(date::sys_days{first / 1}), duration::zero()),
                             at_local(o, from_sys(date::sys_days{next / 1}), duration::zero()), label, o);
}

// ------------------------------------------------------------------ text

namespace {

std::string pad(std::string s, std::size_t w) {
    if (s.size() < w) s.append(w - s.size(), ' ');
    return s;
}
std::string rpad(const std::string& s, std::size_t w) { return s.size() < w ? std::string(w - s.size(), ' ') + s : s; }
std::string num(std::size_t n) { return std::to_string(n); }

std::string item_line(const digest_item& i, const report_options& o) {
    std::string s = "    " + pad(i.case_id, 24) + ' ' + short_local(o, i.since) + "  " + pad(i.workflow, 14) + ' ';
    if (!i.customer.empty()) s += i.customer + ", ";
    s += "owner " + i.owner + ", in " + i.state + " - " + i.reason;
    return s;
}

}  // namespace

std::string format_digest(const daily_digest& d, const report_options& o) {
    std::ostringstream out;
    out << "Daily digest " << format_date(d.day) << " 18:00 — " << d.opened << " opened, " << d.closed << " closed, "
        << d.open_at_cutoff << " open\n";
    if (d.supervisors.empty()) out << "  nothing to report: no major complaint, no urgent open problem\n";
    for (const auto& s : d.supervisors) {
        out << "  to " << s.supervisor << ": " << s.major_complaints.size() << " major complaint(s), " << s.urgent.size()
            << " urgent open problem(s)\n";
        auto list = [&](const std::vector<digest_item>& items, const char* title) {
            if (items.empty()) return;
            out << "   " << title << '\n';
            for (std::size_t i = 0; i < items.size() && i < o.max_items; ++i) out << item_line(items[i], o) << '\n';
            if (items.size() > o.max_items) out << "    ... and " << items.size() - o.max_items << " more\n";
        };
        list(s.major_complaints, "major complaints today:");
        list(s.urgent, "urgent open problems:");
    }
    return out.str();
}

std::string format_stats(const period_stats& p, const report_options& o) {
    std::ostringstream out;
    out << "Statistics, " << p.label << " (" << short_local(o, p.from) << " .. " << short_local(o, p.to) << ")\n";
    out << "  opened " << p.opened << ", closed " << p.closed << ", SLA met " << p.sla_met << ", SLA breached "
        << p.sla_breached << ", escalations " << p.escalations << '\n';
    out << "  " << pad("workflow", 24) << rpad("opened", 8) << rpad("closed", 8) << rpad("open", 8) << rpad("escal.", 8)
        << rpad("avg close", 11) << '\n';
    for (const auto& w : p.workflows) {
        std::string avg = "-";
        if (w.closed_of_opened) {
            double h = std::chrono::duration<double, std::ratio<3600>>(w.total_time_to_close).count() / w.closed_of_opened;
            char buf[32];
            std::snprintf(buf, sizeof buf, h < 48 ? "%.1fh" : "%.1fd", h < 48 ? h : h / 24);
            avg = buf;
        }
        out << "  " << pad(w.workflow, 24) << rpad(num(w.opened), 8) << rpad(num(w.closed), 8) << rpad(num(w.open_at_end), 8)
            << rpad(num(w.escalations), 8) << rpad(avg, 11) << '\n';
    }
    if (!p.slas.empty()) {
        out << "  " << pad("SLA", 40) << rpad("started", 8) << rpad("warned", 8) << rpad("met", 8) << rpad("breached", 9)
            << rpad("running", 8) << rpad("met %", 7) << '\n';
        for (const auto& s : p.slas) {
            std::size_t done = s.met + s.breached;
            std::string pct = done ? num((s.met * 1000 / done + 5) / 10) + "%" : "-";
            out << "  " << pad(s.workflow + " / " + s.sla, 40) << rpad(num(s.started), 8) << rpad(num(s.warned), 8)
                << rpad(num(s.met), 8) << rpad(num(s.breached), 9) << rpad(num(s.running), 8) << rpad(pct, 7) << '\n';
        }
    } else {
        out << "  (no SLA clock ran in this period)\n";
    }
    out << "  " << pad("agent", 16) << rpad("opened", 8) << rpad("closed", 8) << rpad("SLA met", 9) << rpad("breached", 9)
        << rpad("escal.", 8) << '\n';
    for (const auto& a : p.agents)
        out << "  " << pad(a.agent, 16) << rpad(num(a.opened), 8) << rpad(num(a.closed), 8) << rpad(num(a.sla_met), 9)
            << rpad(num(a.sla_breached), 9) << rpad(num(a.escalations), 8) << '\n';
    return out.str();
}

// ------------------------------------------------------------------ JSON

namespace {
std::string item_json(const digest_item& i, const report_options& o) {
    return "{\"case\":" + json_quote(i.case_id) + ",\"workflow\":" + json_quote(i.workflow) + ",\"state\":" +
           json_quote(i.state) + ",\"owner\":" + json_quote(i.owner) + ",\"customer\":" + json_quote(i.customer) +
           ",\"severity\":" + json_quote(i.severity) + ",\"reason\":" + json_quote(i.reason) + ",\"since\":" +
           json_quote(local(o, i.since)) + "}";
}
template <class T, class F>
std::string json_list(const std::vector<T>& v, F f) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + f(v[i]);
    return s + "]";
}
}  // namespace

std::string digest_json(const daily_digest& d, const report_options& o) {
    std::string s = "{\"report\":\"daily_digest\",\"day\":" + json_quote(format_date(d.day)) + ",\"from\":" +
                    json_quote(local(o, d.from)) + ",\"to\":" + json_quote(local(o, d.to)) + ",\"opened\":" + num(d.opened) +
                    ",\"closed\":" + num(d.closed) + ",\"open\":" + num(d.open_at_cutoff) + ",\"supervisors\":";
    s += json_list(d.supervisors, [&](const supervisor_digest& sd) {
        auto items = [&](const digest_item& i) { return item_json(i, o); };
        return "{\"supervisor\":" + json_quote(sd.supervisor) + ",\"major_complaints\":" + json_list(sd.major_complaints, items) +
               ",\"urgent\":" + json_list(sd.urgent, items) + "}";
    });
    return s + "}";
}

std::string stats_json(const period_stats& p, const report_options& o) {
    std::string s = "{\"report\":\"statistics\",\"period\":" + json_quote(p.label) + ",\"from\":" + json_quote(local(o, p.from)) +
                    ",\"to\":" + json_quote(local(o, p.to)) + ",\"opened\":" + num(p.opened) + ",\"closed\":" + num(p.closed) +
                    ",\"sla_met\":" + num(p.sla_met) + ",\"sla_breached\":" + num(p.sla_breached) +
                    ",\"escalations\":" + num(p.escalations);
    s += ",\"workflows\":" + json_list(p.workflows, [](const workflow_stats& w) {
             return "{\"workflow\":" + json_quote(w.workflow) + ",\"opened\":" + num(w.opened) + ",\"closed\":" + num(w.closed) +
                    ",\"open\":" + num(w.open_at_end) + ",\"escalations\":" + num(w.escalations) + "}";
         });
    s += ",\"slas\":" + json_list(p.slas, [](const sla_stats& x) {
             return "{\"workflow\":" + json_quote(x.workflow) + ",\"sla\":" + json_quote(x.sla) + ",\"started\":" + num(x.started) +
                    ",\"warned\":" + num(x.warned) + ",\"met\":" + num(x.met) + ",\"breached\":" + num(x.breached) +
                    ",\"cancelled\":" + num(x.cancelled) + ",\"running\":" + num(x.running) + "}";
         });
    s += ",\"agents\":" + json_list(p.agents, [](const agent_stats& a) {
             return "{\"agent\":" + json_quote(a.agent) + ",\"opened\":" + num(a.opened) + ",\"closed\":" + num(a.closed) +
                    ",\"sla_met\":" + num(a.sla_met) + ",\"sla_breached\":" + num(a.sla_breached) +
                    ",\"escalations\":" + num(a.escalations) + "}";
         });
    return s + "}";
}

}  // namespace caseflow
