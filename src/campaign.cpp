// Return-visit campaigns: selection, round-robin assignment, the call
// scheduler (a small discrete-event loop over the agents on duty) and the
// summary.  The customer CSV reader is at the end of this file.
#include "caseflow/campaign.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <memory>
#include <queue>
#include <set>
#include <sstream>
#include <utility>

#include "text_file.hpp"

namespace caseflow {

std::string_view to_string(call_outcome o) {
    switch (o) {
        case call_outcome::unreached: return "unreached";
        case call_outcome::satisfied: return "satisfied";
        case call_outcome::dissatisfied: return "dissatisfied";
        case call_outcome::complaint: return "complaint";
    }
    return "?";
}

std::vector<customer_record> select_due(const std::vector<customer_record>& customers, date_t day) {
    std::vector<customer_record> out;
    for (const auto& c : customers)
        if (c.due && *c.due <= day) out.push_back(c);
    std::stable_sort(out.begin(), out.end(), [](const customer_record& a, const customer_record& b) {
        if (a.member != b.member) return a.member;
        return a.id < b.id;
    });
    return out;
}

std::vector<std::size_t> assign_round_robin(std::size_t customers, std::size_t agents) {
    if (agents == 0) throw usage_error("round-robin assignment needs at least one agent");
    std::vector<std::size_t> out(customers);
    for (std::size_t i = 0; i < customers; ++i) out[i] = i % agents;
    return out;
}

// ------------------------------------------------------------------ scheduler

namespace {

constexpr duration max_call = std::chrono::minutes(5);  // REQUIREMENTS §1: at most 5 minutes

struct task {
    customer_record customer;
    case_id id;
    std::string case_name;
    std::size_t agent = 0;
    instant ready{};
    int attempts = 0;
    int today = 0;          // attempts on `day`
    date_t day{};
    bool in_flight = false; // reached, result not yet recorded
    bool done = false;
};

enum class hap_kind { agent_ready, result, deadline };

struct happening {
    instant at;
    std::uint64_t seq;
    hap_kind kind;
    std::size_t who;   // agent or task index
    call_result result;
    bool operator>(const happening& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

}  // namespace

struct campaign::impl {
    engine& eng;
    const calendar& cal;
    campaign_options o;
    dialer dial;
    std::vector<std::string> agents;
    std::vector<agent_load> load;
    std::vector<task> tasks;
    std::vector<std::vector<std::size_t>> by_agent;
    instant deadline{};
    instant last_result{};
    std::size_t calls = 0, escalations = 0;
    bool finished = false;
    std::priority_queue<happening, std::vector<happening>, std::greater<>> queue;
    std::uint64_t seq = 0;

    impl(engine& e, const calendar& c, campaign_options opt, dialer d)
        : eng(e), cal(c), o(std::move(opt)), dial(std::move(d)) {}

    void push(instant at, hap_kind k, std::size_t who, call_result r = {}) {
        queue.push(happening{at, seq++, k, who, std::move(r)});
    }

    /// The earliest instant >= t at which a whole call (max_call) fits in
    /// working time and outside quiet hours.
    instant allowed(instant t) const {
        for (int i = 0; i < 64; ++i) {
            instant u = cal.next_contact_allowed(cal.next_working_instant(t));
            instant e = u + max_call;
            if (cal.working_time_between(u, e) != max_call) {
                t = cal.next_working_instant(e);
                if (t == e) t = e + std::chrono::minutes(1);
                continue;
            }
            if (cal.in_quiet_hours(e - duration(1))) {
                t = cal.next_contact_allowed(e - duration(1));
                continue;
            }
            return u;
        }
        return deadline;  // no slot found: treat as out of the campaign window
    }

    void agent_ready(std::size_t a, instant t) {
        if (t >= deadline) return;
        std::size_t best = tasks.size();
        instant best_at = instant::max();
        for (std::size_t ti : by_agent[a]) {
            const task& k = tasks[ti];
            if (k.done || k.in_flight) continue;
            instant c = allowed(std::max(t, k.ready));
            if (c < best_at) best_at = c, best = ti;
        }
        if (best == tasks.size() || best_at + max_call > deadline) return;  // idle for the rest of the campaign
        if (best_at > t) {
            push(best_at, hap_kind::agent_ready, a);
            return;
        }
        place_call(a, tasks[best], t);
    }

    void place_call(std::size_t a, task& k, instant t) {
        const std::string& agent = agents[a];
        if (eng.in_state(k.id, "waiting_retry")) eng.dispatch(k.id, "retry", {{"agent", agent}}, t);
        if (!eng.in_state(k.id, "calling")) {  // moved on by something else (the host, a deadline)
            k.done = true;
            push(t, hap_kind::agent_ready, a);
            return;
        }
        date_t day = cal.local_date(t);
        k.today = day == k.day ? k.today + 1 : 1;
        k.day = day;
        ++k.attempts;
        ++calls;
        ++load[a].calls;
        call_request req{&k.customer, k.case_name, agent, t, k.attempts};
        call_result r = dial(req);
        if (r.outcome == call_outcome::unreached) {
            eng.dispatch(k.id, "call_unreached", {{"agent", agent}}, t);
            if (eng.closed(k.id)) {
                k.done = true;
                last_result = t;
            } else {
                k.ready = t + o.retry_after;
                if (k.today >= o.attempts_per_day)  // enough for today: the next working day
                    k.ready = cal.next_working_instant(cal.at_local(day + days(1), duration::zero()));
            }
            push(t + o.ring_time + o.wrap_up, hap_kind::agent_ready, a);
            return;
        }
        eng.dispatch(k.id, "call_reached", {{"agent", agent}}, t);
        ++load[a].reached;
        k.in_flight = true;
        duration talk = std::clamp(r.talk_time, duration(std::chrono::seconds(30)), max_call);
        std::size_t ti = static_cast<std::size_t>(&k - tasks.data());
        push(t + talk, hap_kind::result, ti, std::move(r));
        push(t + talk + o.wrap_up, hap_kind::agent_ready, a);
    }

    void record_result(task& k, const call_result& r, instant t) {
        k.in_flight = false;
        k.done = true;
        last_result = t;
        if (r.outcome == call_outcome::complaint) {
            value_map data{{"severity", value::enumeration(r.severity.empty() ? "normal" : r.severity)},
                           {"text", r.complaint.empty() ? std::string("(not stated)") : r.complaint}};
            eng.dispatch(k.id, "complaint_raised", data, t);
        } else {
            value_map data{{"satisfied", r.outcome == call_outcome::satisfied}};
            if (!r.remark.empty()) data.emplace("remark", r.remark);
            eng.dispatch(k.id, "visit_recorded", data, t);
        }
    }

    void close_campaign(instant t) {
        for (auto& k : tasks) {
            if (eng.closed(k.id) || eng.in_state(k.id, "escalated")) continue;
            eng.dispatch(k.id, "campaign_overdue", {}, t);
            if (eng.in_state(k.id, "escalated")) ++escalations;
        }
        finished = true;
    }

    void step() {
        happening h = queue.top();
        queue.pop();
        switch (h.kind) {
            case hap_kind::agent_ready: agent_ready(h.who, h.at); break;
            case hap_kind::result: record_result(tasks[h.who], h.result, h.at); break;
            case hap_kind::deadline: close_campaign(h.at); break;
        }
        // Everything done early: close now instead of waiting for the deadline.
        if (!finished && std::all_of(tasks.begin(), tasks.end(), [](const task& k) { return k.done; })) {
            finished = true;
            while (!queue.empty()) queue.pop();
        }
    }
};

campaign::campaign(engine& eng, const calendar& cal, const std::vector<customer_record>& customers,
                   campaign_options options, dialer dial)
    : impl_(new impl(eng, cal, std::move(options), std::move(dial))) {
    std::unique_ptr<impl> guard(impl_);  // frees it if anything below throws (no destructor runs then)
    impl& m = *impl_;
    std::set<std::string> unique(m.o.agents.begin(), m.o.agents.end());
    unique.erase("");
    if (unique.empty()) throw usage_error("a campaign needs at least one agent on duty");
    if (!eng.rules().has_workflow(m.o.workflow))
        throw usage_error("campaign workflow '" + m.o.workflow + "' is not in the rule set");
    if (!m.dial) throw usage_error("a campaign needs a dialer");
    m.agents.assign(unique.begin(), unique.end());  // sorted: a stable order
    for (const auto& a : m.agents) m.load.push_back({a, 0, 0, 0, 0});
    m.by_agent.resize(m.agents.size());
    m.deadline = cal.add(m.o.start, m.o.window);
    date_t due_day = m.o.due_on ? *m.o.due_on : cal.local_date(m.o.start);
    std::vector<customer_record> selected = select_due(customers, due_day);
    std::vector<std::size_t> owner = assign_round_robin(selected.size(), m.agents.size());
    m.tasks.reserve(selected.size());
    for (std::size_t i = 0; i < selected.size(); ++i) {
        const customer_record& c = selected[i];
        task k;
        k.customer = c;
        k.agent = owner[i];
        k.case_name = m.o.name + "-" + c.id;
        k.ready = m.o.start;
        value_map attrs{{"customer", c.id},        {"phone", c.phone},   {"member", c.member},
                        {"agent", m.agents[k.agent]}, {"campaign", m.o.name}, {"due_by", m.deadline}};
        if (!c.name.empty()) attrs.emplace("name", c.name);
        if (!c.subject_case.empty()) attrs.emplace("subject_case", c.subject_case);
        k.id = eng.open(m.o.workflow, attrs, m.o.start, k.case_name);
        ++m.load[k.agent].assigned;
        if (c.member) ++m.load[k.agent].members;
        m.by_agent[k.agent].push_back(m.tasks.size());
        m.tasks.push_back(std::move(k));
    }
    m.last_result = m.o.start;
    for (std::size_t a = 0; a < m.agents.size(); ++a) m.push(m.o.start, hap_kind::agent_ready, a);
    m.push(m.deadline, hap_kind::deadline, 0);
    if (m.tasks.empty()) {
        m.finished = true;
        while (!m.queue.empty()) m.queue.pop();
    }
    guard.release();
}

campaign::~campaign() { delete impl_; }
campaign::campaign(campaign&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
campaign& campaign::operator=(campaign&& o) noexcept {
    if (this != &o) {
        delete impl_;
        impl_ = std::exchange(o.impl_, nullptr);
    }
    return *this;
}

std::optional<instant> campaign::next_due() const {
    if (impl_->finished || impl_->queue.empty()) return std::nullopt;
    return impl_->queue.top().at;
}

void campaign::run_until(instant t) {
    while (!impl_->finished && !impl_->queue.empty() && impl_->queue.top().at <= t) impl_->step();
}

void campaign::run() {
    while (!impl_->finished && !impl_->queue.empty()) impl_->step();
}

bool campaign::finished() const { return impl_->finished; }
const campaign_options& campaign::options() const { return impl_->o; }
instant campaign::deadline() const { return impl_->deadline; }

campaign_result campaign::result() const {
    const impl& m = *impl_;
    campaign_result r;
    campaign_summary& s = r.summary;
    s.name = m.o.name;
    s.start = m.o.start;
    s.deadline = m.deadline;
    s.selected = m.tasks.size();
    s.calls = m.calls;
    s.escalations = m.escalations;
    s.agents = m.load;
    bool all_done = true;
    for (const task& k : m.tasks) {
        campaign_visit v;
        v.customer = k.customer.id;
        v.case_name = k.case_name;
        v.agent = m.agents[k.agent];
        v.member = k.customer.member;
        v.attempts = static_cast<int>(m.eng.attribute(k.id, "attempts").as_integer());
        v.outcome = m.eng.attribute(k.id, "outcome").to_string();
        v.state = m.eng.state(k.id);
        if (k.customer.member) ++s.members;
        if (v.outcome == "satisfied") ++s.satisfied;
        if (v.outcome == "dissatisfied") ++s.dissatisfied;
        if (v.outcome == "complaint") {
            ++s.complaints;
            for (const auto& e : m.eng.history(k.id))
                if (e.kind == record_kind::action && e.subject == "open_case") v.complaint_case = std::string(e.field("case"));
            if (!v.complaint_case.empty()) s.complaint_cases.push_back(v.complaint_case);
        }
        bool reached = v.outcome == "satisfied" || v.outcome == "dissatisfied" || v.outcome == "complaint";
        if (reached) {
            ++s.reached;
            if (k.customer.member) ++s.members_visited;
        } else if (v.outcome == "unreached") {
            ++s.unreached;
        } else {
            ++s.not_visited;
        }
        if (!k.done) all_done = false;
        r.visits.push_back(std::move(v));
    }
    s.finished_in_time = all_done && m.escalations == 0 && s.members_visited == s.members;
    s.finished_at = all_done ? m.last_result : m.deadline;
    return r;
}

campaign_result run_campaign(engine& eng, const calendar& cal, const std::vector<customer_record>& customers,
                             const campaign_options& options, const dialer& dial) {
    // dialer is move-only: the campaign, which lives only in this call, borrows `dial`.
    dialer borrowed;
    if (dial) borrowed = [&dial](const call_request& q) { return dial(q); };
    campaign c(eng, cal, customers, options, std::move(borrowed));
    c.run();
    return c.result();
}

// ------------------------------------------------------------------ simulation

namespace {
std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}
}  // namespace

dialer simulated_dialer(std::uint64_t seed) {
    return [seed](const call_request& q) {
        // Keyed by (customer, attempt), not by call order: the answers do not
        // change when agents or timing change.
        std::uint64_t h = splitmix(seed ^ fnv1a(q.customer->id) ^ (static_cast<std::uint64_t>(q.attempt) << 56));
        unsigned reach = static_cast<unsigned>(h % 100);
        unsigned kind = static_cast<unsigned>((h >> 16) % 100);
        unsigned talk = static_cast<unsigned>((h >> 32) % 181);  // 0..180 s on top of 2 minutes
        call_result r;
        r.talk_time = std::chrono::seconds(120 + talk);
        if (reach >= 75) return r;  // unreached
        if (kind < 85) {
            r.outcome = call_outcome::satisfied;
            r.remark = "satisfied with the service";
        } else if (kind < 95) {
            r.outcome = call_outcome::dissatisfied;
            r.remark = (kind & 1) ? "waited too long for the reply" : "result acceptable, process too slow";
        } else {
            r.outcome = call_outcome::complaint;
            r.severity = (h >> 48) % 5 == 0 ? "major" : "normal";
            r.complaint = (kind & 1) ? "promised callback never came" : "problem came back after the repair";
        }
        return r;
    };
}

std::string format_summary(const campaign_summary& s, const calendar& cal) {
    auto local = [&](instant t) { return format_instant(t, cal.utc_offset_minutes(t)); };
    auto pct = [](std::size_t a, std::size_t b) {
        if (b == 0) return std::string("-");
        return std::to_string((a * 1000 / b + 5) / 10) + "%";
    };
    std::ostringstream out;
    out << "campaign " << s.name << ": " << s.selected << " customers (" << s.members << " members), "
        << s.agents.size() << " agents, " << local(s.start) << " .. deadline " << local(s.deadline) << '\n';
    out << "  calls placed     " << s.calls << '\n';
    out << "  reached          " << s.reached << " (" << pct(s.reached, s.selected) << ")\n";
    out << "    satisfied      " << s.satisfied << " (" << pct(s.satisfied, s.reached) << " of reached)\n";
    out << "    dissatisfied   " << s.dissatisfied << '\n';
    out << "    complaints     " << s.complaints;
    if (!s.complaint_cases.empty()) {
        out << " ->";
        for (const auto& c : s.complaint_cases) out << ' ' << c;
    }
    out << '\n';
    out << "  unreached        " << s.unreached << " (given up after their attempts)\n";
    out << "  not visited      " << s.not_visited << " (escalated at the deadline)\n";
    out << "  members visited  " << s.members_visited << " of " << s.members << " (" << pct(s.members_visited, s.members)
        << ")\n";
    out << "  per agent       ";
    for (const auto& a : s.agents) out << ' ' << a.agent << ' ' << a.assigned << '/' << a.calls << '/' << a.reached;
    out << "  (assigned/calls/reached)\n";
    out << "  " << (s.finished_in_time ? "finished in time at " + local(s.finished_at)
                                       : "NOT finished in time: " + std::to_string(s.escalations) + " escalation(s) at " +
                                             local(s.deadline))
        << '\n';
    return out.str();
}

// ------------------------------------------------------------------ CSV
//
// A small RFC 4180 reader of our own rather than a Debian package: libcsv
// (libcsv-dev, a C callback parser) reports no position for an error, and
// libfccp-dev (fast-cpp-csv-parser) fixes the column count at compile time
// and does not accept line breaks inside quoted fields.  Errors here must say
// `file:line:column` like every other input error of caseflow, and the grammar
// is small enough that a reader with positions is shorter than the glue
// either library would need.

namespace {

struct csv_cell {
    std::string text;
    int line = 0, column = 0;
    bool quoted = false;
};

[[noreturn]] void csv_fail(const std::string& name, int line, int column, const std::string& message) {
    throw csv_error(name + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message);
}

std::vector<std::vector<csv_cell>> parse_csv(const std::string& text, const std::string& name) {
    std::vector<std::vector<csv_cell>> rows;
    std::size_t i = detail::bom_length(text), n = text.size();
    int line = 1;
    std::size_t line_start = i;
    // Columns count characters, as everywhere in caseflow (a Chinese name is
    // one column a character, not three).
    auto col = [&](std::size_t at) { return detail::char_count(std::string_view(text).substr(line_start, at - line_start)) + 1; };
    std::vector<csv_cell> row;
    while (i < n) {
        csv_cell cell;
        cell.line = line;
        cell.column = col(i);
        if (text[i] == '"') {
            cell.quoted = true;
            int open_line = line, open_col = col(i);
            ++i;
            for (;;) {
                if (i >= n) csv_fail(name, open_line, open_col, "unterminated quoted field (a '\"' is missing)");
                char c = text[i];
                if (c == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        cell.text += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (c == '\n') {
                    ++line;
                    line_start = i + 1;
                }
                cell.text += c;
                ++i;
            }
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                csv_fail(name, line, col(i), "expected ',' or the end of the line after a closing quote");
        } else {
            while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                if (text[i] == '"')
                    csv_fail(name, line, col(i),
                             "a '\"' inside an unquoted field; quote the whole field and write the quote as \"\"");
                cell.text += text[i++];
            }
        }
        row.push_back(std::move(cell));
        if (i < n && text[i] == ',') {
            ++i;
            if (i == n || text[i] == '\n' || text[i] == '\r') {  // trailing comma: one more empty field
                row.push_back(csv_cell{"", line, col(i), false});
            } else {
                continue;
            }
        }
        if (i < n && text[i] == '\r') ++i;
        if (i < n && text[i] == '\n') ++i;
        // A blank line is one empty unquoted field: skip it.
        if (!(row.size() == 1 && row[0].text.empty() && !row[0].quoted))
            rows.push_back(std::move(row));
        row.clear();
        ++line;
        line_start = i;
    }
    return rows;
}

std::string trimmed_lower(std::string s) {
    auto b = s.find_first_not_of(" \t");
    auto e = s.find_last_not_of(" \t");
    s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::vector<customer_record> read_customers_csv(std::istream& in, const std::string& name) {
    std::ostringstream buf;
    buf << in.rdbuf();
    auto rows = parse_csv(buf.str(), name);
    if (rows.empty()) csv_fail(name, 1, 1, "empty file; expected a header row naming the columns (id,name,phone,member,due,case)");
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < rows[0].size(); ++i) {
        std::string h = trimmed_lower(rows[0][i].text);
        if (h.empty()) continue;
        if (column.count(h)) csv_fail(name, rows[0][i].line, rows[0][i].column, "duplicate column '" + h + "'");
        column[h] = i;
    }
    for (const char* req : {"id", "phone"})
        if (!column.count(req))
            csv_fail(name, rows[0][0].line, 1, std::string("missing column '") + req + "' in the header row");
    auto get = [&](const std::vector<csv_cell>& row, const char* col) -> const csv_cell* {
        auto it = column.find(col);
        return it == column.end() ? nullptr : &row[it->second];
    };
    std::vector<customer_record> out;
    std::map<std::string, int> seen;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (row.size() != rows[0].size())
            csv_fail(name, row[0].line, 1,
                     "this row has " + std::to_string(row.size()) + " fields, the header has " + std::to_string(rows[0].size()));
        customer_record c;
        const csv_cell* id = get(row, "id");
        c.id = id->text;
        if (c.id.empty()) csv_fail(name, id->line, id->column, "empty customer id");
        if (auto it = seen.find(c.id); it != seen.end())
            csv_fail(name, id->line, id->column, "duplicate customer id '" + c.id + "' (first on line " + std::to_string(it->second) + ")");
        seen[c.id] = id->line;
        const csv_cell* phone = get(row, "phone");
        c.phone = phone->text;
        if (c.phone.empty()) csv_fail(name, phone->line, phone->column, "customer '" + c.id + "' has no phone number");
        if (auto* v = get(row, "name")) c.name = v->text;
        if (auto* v = get(row, "case")) c.subject_case = v->text;
        if (auto* v = get(row, "member")) {
            std::string m = trimmed_lower(v->text);
            if (m == "yes" || m == "true" || m == "1" || m == "y")
                c.member = true;
            else if (m.empty() || m == "no" || m == "false" || m == "0" || m == "n")
                c.member = false;
            else
                csv_fail(name, v->line, v->column, "expected yes or no for 'member', found '" + v->text + "'");
        }
        if (auto* v = get(row, "due"); v && !trimmed_lower(v->text).empty()) {
            auto d = parse_date(trimmed_lower(v->text));
            if (!d) csv_fail(name, v->line, v->column, "expected a date YYYY-MM-DD for 'due', found '" + v->text + "'");
            c.due = *d;
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<customer_record> read_customers_csv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw csv_error(path + ": cannot open the customer file");
    return read_customers_csv(in, path);
}

}  // namespace caseflow
