// `caseflow demo`: a month at the three customer-service departments of
// seed/REQUIREMENTS.md — the service desk (inquiries, complaints, service
// requests, follow-up calls, return-visit campaigns), the wedding-photo
// studio and the car dealership's after-sales desk — run through the shipped
// workflows with the engine advancing time day by day.  It prints the 18:00
// digest of every day, each weekly campaign's summary, the weekly statistics
// and at the end the month's statistics with the SLA table.
//
// The month is generated, not recorded: arrivals per department and day
// (fewer on days off, the National Day week included), customers drawn from a
// fixed customer base, and each case's next step after a working-time delay.
// Complaints follow a hand-written script of the "five clears"; every other
// workflow is walked generically from its compiled transitions, preferring
// steps that move the case towards a final state.  Everything comes from one
// std::mt19937 with a fixed seed and hand-written distributions (the std
// distributions differ between standard libraries), so the output is the same
// on every machine.
#include "cli/demo.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <queue>
#include <random>
#include <set>

#include <unistd.h>

#include "caseflow/campaign.hpp"
#include "caseflow/caseflow.hpp"
#include "caseflow/detail/model.hpp"
#include "cli/commands.hpp"

namespace caseflow::cli {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

/// Portable random numbers: mt19937's sequence is fixed by the standard; the
/// distributions on top of it are ours.
struct rng {
    std::mt19937 g;
    explicit rng(std::uint32_t seed) : g(seed) {}
    std::uint32_t below(std::uint32_t n) {  // uniform in [0, n), by rejection
        const std::uint64_t range = 0x100000000ULL, limit = range - range % n;
        std::uint64_t x;
        do x = g();
        while (x >= limit);
        return static_cast<std::uint32_t>(x % n);
    }
    double uniform() { return (g() >> 5) * (1.0 / 134217728.0); }  // [0, 1), 27 bits
    bool chance(double p) { return uniform() < p; }
    double exponential(double mean) { return -std::log(1.0 - uniform()) * mean; }
    int poisson(double mean) {  // Knuth; means here stay below 100
        if (mean > 60) return poisson(mean / 2) + poisson(mean / 2);
        double l = std::exp(-mean), p = 1.0;
        int k = 0;
        do {
            ++k;
            p *= uniform();
        } while (p > l);
        return k - 1;
    }
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[below(static_cast<std::uint32_t>(v.size()))]; }
};

struct department {
    std::string name, supervisor, calendar_name;
    std::vector<std::string> agents;
};

struct workflow_plan {
    std::string workflow;
    std::size_t dept;
    double per_working_day;   // arrivals on a working day
    double off_day_factor;    // arrivals on a day off, relative
    double step_minutes;      // mean working time between two steps
};

struct customer {
    std::string id, name, phone;
    bool member;
};

struct pending {
    instant at;
    std::uint64_t seq;
    std::uint32_t case_index;
    bool operator>(const pending& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

const char* const surnames[] = {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu",
                                "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo"};
const char* const given[] = {"Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang",
                             "Yan", "Jie", "Tao", "Ming", "Chao", "Xiu", "Xia", "Ping", "Gang", "Hui"};
const char* const topics[] = {"invoice copy", "delivery date", "warranty terms", "price of the package",
                              "membership points", "opening hours", "repair progress", "refund status",
                              "change of address", "appointment time"};
const char* const complaints[] = {"rude staff at the counter", "promised callback never came", "wrong invoice amount",
                                  "repair not done properly", "album pages misprinted", "waited two hours",
                                  "charged twice", "gown not cleaned", "car returned dirty", "no reply for a week"};

class simulation {
public:
    simulation(const demo_config& cfg, std::ostream* out) : cfg_(cfg), out_(out), rand_(cfg.seed) {}

    demo_run run() {
        rules_ = load_rules(cfg_.rules_dir);
        calendars_ = load_calendars((std::filesystem::path(cfg_.rules_dir) / "calendars").string());
        demo_run r;
        r.office = std::make_unique<calendar>(calendars_.at("office"));
        office_ = r.office.get();
        r.eng = std::make_unique<engine>(rules_);
        eng_ = r.eng.get();
        eng_->on_action([this](const action& a) {
            if (a.kind == action_kind::open_case && !a.param("case").empty()) opened_.emplace_back(a.param("case"));
        });
        setup_departments();
        r.options.cal = office_;
        r.options.max_items = 6;
        for (const auto& p : plans_) r.options.supervisor_of_workflow[p.workflow] = depts_[p.dept].supervisor;
        for (const char* w : {"complaint", "return_visit", "outbound_call"})
            r.options.supervisor_of_workflow[w] = depts_[0].supervisor;
        opts_ = &r.options;
        make_customers();

        const date_t first = *parse_date(std::to_string(cfg_.year) + "-" + (cfg_.month < 10 ? "0" : "") + std::to_string(cfg_.month) + "-01");
        date_t last = first;
        while (format_date(last + days(1)).substr(0, 7) == format_date(first).substr(0, 7)) last += days(1);
        r.first = first;
        r.last = last;
        if (out_) header(first, last);
        const int ndays = (last - first).count() + 1;
        for (date_t day = first; day <= last; day += days(1)) {
            arrivals(day);
            maybe_start_campaign(day);
            run_until(office_->at_local(day, hours(18)));
            auto digest = make_daily_digest(*eng_, day, r.options);
            if (out_) *out_ << format_digest(digest, r.options) << '\n';
            run_until(office_->at_local(day + days(1), duration::zero()));
            if (weekday(day) == 6 && out_) weekly(day);  // Sunday night
            progress((day - first).count() + 1, ndays);
        }
        if (campaign_) {
            finish_campaign();
        }
        if (progress_shown_) std::cerr << "\r" << std::string(60, ' ') << "\r" << std::flush;
        r.campaigns = campaigns_run_;
        return r;
    }

private:
    const demo_config& cfg_;
    std::ostream* out_;
    rng rand_;
    rule_set rules_;
    calendar_set calendars_;
    const calendar* office_ = nullptr;
    engine* eng_ = nullptr;
    const report_options* opts_ = nullptr;
    std::vector<department> depts_;
    std::vector<workflow_plan> plans_;
    std::vector<customer> customers_;
    std::priority_queue<pending, std::vector<pending>, std::greater<>> queue_;
    std::uint64_t seq_ = 0;
    std::vector<std::string> opened_;          // linked cases opened by actions, to be scheduled
    std::map<std::uint32_t, int> stalls_;      // steps that found nothing to do
    std::map<std::uint32_t, std::vector<int>> dist_;  // per workflow: transitions to a final state, by state
    std::optional<campaign> campaign_;
    std::size_t campaigns_run_ = 0;
    std::vector<std::pair<std::string, instant>> recently_closed_;  // for the next campaign
    std::size_t closed_seen_ = 0;
    bool progress_shown_ = false;
    bool self_scheduled_ = false;  // the complaint script scheduled the next step itself

    static int weekday(date_t d) {  // 0 = Monday
        return static_cast<int>(((d.time_since_epoch().count() % 7) + 7 + 3) % 7);
    }

    void setup_departments() {
        depts_ = {{"service desk", "Zhou Min (service desk supervisor)", "office",
                   {"A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08"}},
                  {"studio", "Lin Xia (studio supervisor)", calendars_.find("studio") ? "studio" : "office",
                   {"S01", "S02", "S03", "S04"}},
                  {"after-sales", "Ma Gang (after-sales supervisor)", "office", {"V01", "V02", "V03", "V04", "V05"}}};
        const std::vector<workflow_plan> all = {
            {"inquiry", 0, 38, 0.3, 90},          {"complaint", 0, 12, 0.3, 240},
            {"service_request", 0, 20, 0.2, 300}, {"outbound_call", 0, 5, 0.0, 120},
            {"studio_booking", 1, 6, 1.5, 1200},  {"vehicle_maintenance", 2, 22, 0.2, 600},
            {"manufacturer_complaint", 2, 3, 0.3, 360},
        };
        for (const auto& p : all)
            if (rules_.has_workflow(p.workflow)) plans_.push_back(p);
    }

    void make_customers() {
        for (int i = 0; i < 2400; ++i) {
            customer c;
            c.id = "C" + std::to_string(10001 + i);
            c.name = std::string(surnames[rand_.below(20)]) + " " + given[rand_.below(20)];
            c.phone = "13" + std::to_string(100000000 + rand_.below(900000000));
            c.member = rand_.chance(0.35);
            customers_.push_back(std::move(c));
        }
    }

    void header(date_t first, date_t last) {
        *out_ << "caseflow demo: " << format_date(first) << " .. " << format_date(last) << ", seed " << cfg_.seed << ", rules "
              << cfg_.rules_dir << "/\n";
        for (std::size_t d = 0; d < depts_.size(); ++d) {
            *out_ << "  " << depts_[d].name << " (" << depts_[d].agents.size() << " agents, " << depts_[d].supervisor << "):";
            bool any = false;
            for (const auto& p : plans_)
                if (p.dept == d) *out_ << ' ' << p.workflow, any = true;
            if (!any) *out_ << " (no workflow of this department in " << cfg_.rules_dir << "/ yet)";
            if (d == 0 && rules_.has_workflow("return_visit")) *out_ << " return_visit (weekly campaigns)";
            *out_ << '\n';
        }
        *out_ << '\n';
    }

    void progress(int done, int total) {
        if (!cfg_.progress || !isatty(2)) return;
        progress_shown_ = true;
        int width = 30, filled = done * width / total;
        std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#') << std::string(static_cast<std::size_t>(width - filled), '.')
                  << "] day " << done << "/" << total << ", " << eng_->case_count() << " cases" << std::flush;
    }

    const calendar& cal_of(std::size_t dept) const { return calendars_.at(depts_[dept].calendar_name); }

    std::size_t dept_of(const std::string& workflow) const {
        for (const auto& p : plans_)
            if (p.workflow == workflow) return p.dept;
        return 0;
    }
    const workflow_plan* plan_of(const std::string& workflow) const {
        for (const auto& p : plans_)
            if (p.workflow == workflow) return &p;
        return nullptr;
    }

    void schedule(std::uint32_t ci, instant at) { queue_.push(pending{at, seq_++, ci}); }

    /// The next step of a case: after an exponential amount of working time.
    void schedule_next(std::uint32_t ci, double mean_minutes) {
        const std::string& wf = eng_->workflow(case_id{ci});
        const calendar& cal = cal_of(dept_of(wf));
        auto m = static_cast<std::int64_t>(std::max(5.0, rand_.exponential(mean_minutes)));
        schedule(ci, cal.add(eng_->now(), business_duration::minutes(m)));
    }

    // ---------------------------------------------------------------- arrivals

    void arrivals(date_t day) {
        bool working = office_->is_working_day(day);
        struct arrival {
            instant at;
            const workflow_plan* plan;
        };
        std::vector<arrival> today;
        for (const auto& p : plans_) {
            double mean = p.per_working_day * cfg_.scale * (working ? 1.0 : p.off_day_factor);
            if (weekday(day) == 0 && working) mean *= 1.2;  // Mondays are busy
            int n = rand_.poisson(mean);
            for (int i = 0; i < n; ++i) {
                // Customers call 08:00-20:00; the office answers in its working time.
                instant at = office_->at_local(day, hours(8) + minutes(rand_.below(12 * 60)));
                today.push_back({at, &p});
            }
        }
        std::sort(today.begin(), today.end(), [](const arrival& a, const arrival& b) { return a.at < b.at; });
        // Opening needs the engine's time: arrivals are opened as the day runs.
        for (const auto& a : today) arrivals_.push_back(a.at), arrival_plans_.push_back(a.plan);
    }
    std::vector<instant> arrivals_;
    std::vector<const workflow_plan*> arrival_plans_;
    std::size_t next_arrival_ = 0;

    void open_case(const workflow_plan& p, instant at) {
        const department& d = depts_[p.dept];
        const customer& c = customers_[rand_.below(static_cast<std::uint32_t>(customers_.size()))];
        const auto& wf = rules_.data().workflows[rules_.data().find_workflow(p.workflow)];
        std::string agent = d.agents[rand_.below(static_cast<std::uint32_t>(d.agents.size()))];
        value_map attrs;
        for (const auto& a : wf.attributes) {
            const std::string& n = a.name;
            if (n == "phone") attrs[n] = c.phone;
            else if (n == "customer" || n == "who") attrs[n] = p.workflow == "complaint" || p.workflow == "service_request" ? c.id : c.name;
            else if (n == "name" || n == "owner_name") attrs[n] = c.name;
            else if (n == "owner" || n == "agent" || n == "adviser") attrs[n] = agent;
            else if (n == "severity" && a.type.type == value_type::enumeration) {
                double u = rand_.uniform();
                const auto& names = rules_.data().enums[static_cast<std::size_t>(a.type.enum_id)].names;
                std::string s = u < 0.08 ? "major" : u < 0.35 ? "minor" : "normal";
                if (std::find(names.begin(), names.end(), s) != names.end()) attrs[n] = value::enumeration(s);
            } else if (n == "what" || n == "request") attrs[n] = std::string(topics[rand_.below(10)]);
            else if (n == "region") attrs[n] = std::string(rand_.chance(0.6) ? "Shanghai" : "Suzhou");
            else if (n == "how") attrs[n] = std::string(rand_.chance(0.8) ? "phone" : "visit");
            else if (n == "when") attrs[n] = at;
            else if (n == "reservation_date") attrs[n] = office_->local_date(at);
            else if (a.required) attrs[n] = synth(a.type, n, agent, at);
        }
        std::string name = p.workflow + "-" + std::to_string(eng_->case_count() + 1);
        case_id id = eng_->open(p.workflow, attrs, at, name);
        adopt_linked();
        schedule_next(id.index, p.workflow == "complaint" ? 30 : p.step_minutes / 3);
    }

    /// Cases opened by `open_case` actions (linked complaints, follow-ups) join the schedule.
    void adopt_linked() {
        for (const auto& n : opened_) {
            case_id id = eng_->find(n);
            const workflow_plan* p = plan_of(eng_->workflow(id));
            schedule_next(id.index, p ? p->step_minutes / 2 : 120);
        }
        opened_.clear();
    }

    value synth(const detail::slot_type& t, const std::string& name, const std::string& agent, instant now) {
        switch (t.type) {
            case value_type::string:
                if (name.find("agent") != std::string::npos || name.find("owner") != std::string::npos ||
                    name == "responsible" || name == "adviser" || name == "by")
                    return agent;
                if (name == "department") return std::string(rand_.chance(0.5) ? "logistics" : "technical service");
                if (name == "phone") return std::string("13800000000");
                if (name == "ticket") return "T" + std::to_string(20000 + rand_.below(80000));
                if (name.find("text") != std::string::npos || name.find("reason") != std::string::npos)
                    return std::string(complaints[rand_.below(10)]);
                return std::string(topics[rand_.below(10)]);
            case value_type::integer: return static_cast<std::int64_t>(1 + rand_.below(5));
            case value_type::decimal: return decimal{static_cast<std::int64_t>(500 + rand_.below(8000)) * decimal::scale};
            case value_type::boolean:
                return name == "major" ? rand_.chance(0.15) : rand_.chance(0.85);
            case value_type::enumeration: {
                const auto& names = rules_.data().enums[static_cast<std::size_t>(t.enum_id)].names;
                return value::enumeration(names[rand_.below(static_cast<std::uint32_t>(names.size()))]);
            }
            case value_type::date: return office_->local_date(now) + days(1 + static_cast<int>(rand_.below(14)));
            case value_type::instant:
                return office_->at_local(office_->add_working_days(office_->local_date(now), 1 + static_cast<int>(rand_.below(4))),
                                         hours(10));
            case value_type::duration: return duration(hours(1 + rand_.below(4)));
            default: return value{};
        }
    }

    // ---------------------------------------------------------------- stepping

    void run_until(instant end) {
        for (;;) {
            instant t = end;
            int what = 0;  // 0 end, 1 arrival, 2 case step, 3 campaign
            if (next_arrival_ < arrivals_.size() && arrivals_[next_arrival_] <= t) t = arrivals_[next_arrival_], what = 1;
            if (!queue_.empty() && queue_.top().at < t) t = queue_.top().at, what = 2;
            if (campaign_) {
                if (auto c = campaign_->next_due(); c && *c < t) t = *c, what = 3;
            }
            if (what == 0) break;
            if (what == 1) {
                open_case(*arrival_plans_[next_arrival_], arrivals_[next_arrival_]);
                ++next_arrival_;
            } else if (what == 2) {
                pending p = queue_.top();
                queue_.pop();
                step(p.case_index, std::max(p.at, eng_->now()));
            } else {
                campaign_->run_until(t);
                adopt_linked();
                if (campaign_->finished()) finish_campaign();
            }
        }
        if (eng_->now() < end) eng_->advance_to(end);
        // Campaign deadlines that fall exactly on `end` are done now.
        if (campaign_) {
            campaign_->run_until(end);
            adopt_linked();
            if (campaign_->finished()) finish_campaign();
        }
    }

    void step(std::uint32_t ci, instant at) {
        case_id id{ci};
        if (eng_->closed(id)) {
            note_closed(id, at);
            return;
        }
        const std::string& wf = eng_->workflow(id);
        if (wf == "return_visit") return;  // the campaign drives these
        bool moved = wf == "complaint" ? complaint_step(id, at) : walk_step(id, at);
        adopt_linked();
        if (eng_->closed(id)) {
            note_closed(id, at);
            return;
        }
        if (self_scheduled_) {
            self_scheduled_ = false;
            return;
        }
        const workflow_plan* p = plan_of(wf);
        double mean = p ? p->step_minutes : 240;
        if (!moved && ++stalls_[ci] > 4) return;  // waits for its deadlines only
        schedule_next(ci, moved ? mean : mean * 3);
    }

    void note_closed(case_id id, instant at) {
        const std::string& wf = eng_->workflow(id);
        if (wf == "return_visit" || wf == "outbound_call") return;
        recently_closed_.emplace_back(eng_->name(id), at);
    }

    /// The complaint script: listen, ask, follow, reply, record, return visit.
    bool complaint_step(case_id id, instant at) {
        const std::string& s = eng_->state(id);
        const department& d = depts_[0];
        auto owner = [&] {
            value v = eng_->attribute(id, "owner");
            return v.is_none() ? d.agents[rand_.below(static_cast<std::uint32_t>(d.agents.size()))] : v.as_string();
        };
        if (s != "received" && s != "replying" && rand_.chance(0.015))
            return bool(eng_->dispatch(id, "withdrawn", {{"reason", std::string("customer settled it directly")}}, at));
        if (s == "received") return bool(eng_->dispatch(id, "facts_established", {{"agent", owner()}}, at));
        if (s == "investigating") {
            if (rand_.chance(0.7)) return bool(eng_->dispatch(id, "solved", {{"summary", std::string("fixed and explained")}}, at));
            date_t day = office_->add_working_days(office_->local_date(at), 1 + static_cast<int>(rand_.below(4)));
            instant promise = office_->at_local(day, hours(10));
            bool ok = bool(eng_->dispatch(id, "cannot_solve", {{"promised_at", promise}, {"reason", std::string("waiting for another department")}}, at));
            // The answer comes before the promised date, mostly.
            instant when = rand_.chance(0.85) ? promise - hours(1 + rand_.below(20)) : promise + hours(2 + rand_.below(30));
            if (when <= at) when = at + hours(1);
            schedule(id.index, when);
            self_scheduled_ = true;
            return ok;
        }
        if (s == "promised_reply") return bool(eng_->dispatch(id, "solved", {{"summary", std::string("solved as promised")}}, at));
        if (s == "replying") {
            if (rand_.chance(0.1)) return bool(eng_->dispatch(id, "customer_rejected", {{"reason", std::string("expects compensation")}}, at));
            return bool(eng_->dispatch(id, "replied", {}, at));
        }
        if (s == "recording") return bool(eng_->dispatch(id, "recorded", {}, at));
        if (s == "return_visit") return bool(eng_->dispatch(id, "return_visit_done", {{"satisfied", rand_.chance(0.82)}}, at));
        return false;
    }

    /// Transitions to a final state from each state of a workflow.
    const std::vector<int>& distances(std::uint32_t w) {
        auto it = dist_.find(w);
        if (it != dist_.end()) return it->second;
        const auto& wf = rules_.data().workflows[w];
        const int inf = 1000;
        std::vector<int> d(wf.states.size(), inf);
        for (std::size_t s = 0; s < wf.states.size(); ++s)
            if (wf.states[s].final && wf.states[s].parent == detail::no_id) d[s] = 0;
        auto leaf = [&](std::uint32_t s) {
            while (!wf.states[s].children.empty() && wf.states[s].initial != detail::no_id) s = wf.states[s].initial;
            return s;
        };
        auto under = [&](std::uint32_t x, std::uint32_t anc) {
            for (; x != detail::no_id; x = wf.states[x].parent)
                if (x == anc) return true;
            return false;
        };
        for (int round = 0; round < 30; ++round) {
            bool changed = false;
            for (const auto& t : wf.transitions) {
                if (t.target == detail::no_id) continue;
                int cand = d[leaf(t.target)] + (t.event == detail::no_id ? 0 : 1);
                for (std::uint32_t x = 0; x < wf.states.size(); ++x)
                    if (under(x, t.source) && cand < d[x]) d[x] = cand, changed = true;
            }
            if (!changed) break;
        }
        return dist_.emplace(w, std::move(d)).first->second;
    }

    static bool excluded(const std::string& e) {
        // Events the engine or the host's clock sends, not people.
        for (const char* s : {"overdue", "given_up", "contact_", "_due", "reminder", "deadline", "timeout"})
            if (e.find(s) != std::string::npos) return true;
        return false;
    }
    static bool unhappy(const std::string& e) {
        for (const char* s : {"complain", "cancel", "withdraw", "reject", "lapse", "abandon", "out_of_scope", "no_show", "escalat", "cannot"})
            if (e.find(s) != std::string::npos) return true;
        return false;
    }

    /// A generic step: a weighted choice among the transitions the active
    /// configuration accepts, preferring progress towards a final state.
    bool walk_step(case_id id, instant at) {
        const auto& rs = rules_.data();
        std::uint32_t w = rs.find_workflow(eng_->workflow(id));
        const auto& wf = rs.workflows[w];
        const auto& dist = distances(w);
        std::uint32_t leaf = wf.find_state(eng_->state(id));
        std::set<std::uint32_t> config;
        for (std::uint32_t s = leaf; s != detail::no_id; s = wf.states[s].parent) config.insert(s);
        auto leaf_of = [&](std::uint32_t s) {
            while (!wf.states[s].children.empty() && wf.states[s].initial != detail::no_id) s = wf.states[s].initial;
            return s;
        };
        struct option {
            std::uint32_t event;
            double weight;
        };
        std::vector<option> options;
        std::set<std::uint32_t> seen;
        for (const auto& t : wf.transitions) {
            if (t.event == detail::no_id || !config.count(t.source) || seen.count(t.event)) continue;
            const std::string& name = wf.events[t.event].name;
            if (excluded(name)) continue;
            seen.insert(t.event);
            double weight = t.target == detail::no_id ? 0.6 : dist[leaf_of(t.target)] < dist[leaf] ? 8.0 : 1.5;
            if (unhappy(name)) weight = name.find("complain") != std::string::npos ? 0.08 : 0.25;
            options.push_back({t.event, weight});
        }
        std::string agent = eng_->attributes(id).count("owner") && !eng_->attribute(id, "owner").is_none()
                                ? eng_->attribute(id, "owner").to_string()
                                : rand_.pick(depts_[dept_of(wf.name)].agents);
        for (int attempt = 0; attempt < 3 && !options.empty(); ++attempt) {
            double total = 0;
            for (const auto& o : options) total += o.weight;
            double u = rand_.uniform() * total;
            std::size_t k = 0;
            for (; k + 1 < options.size() && u >= options[k].weight; ++k) u -= options[k].weight;
            const auto& ev = wf.events[options[k].event];
            value_map data;
            for (const auto& f : ev.fields)
                if (f.required || rand_.chance(0.8)) data[f.name] = synth(f.type, f.name, agent, at);
            if (eng_->dispatch(id, ev.name, data, at)) return true;
            options.erase(options.begin() + static_cast<std::ptrdiff_t>(k));
        }
        return false;
    }

    // ---------------------------------------------------------------- campaigns

    /// On the first working day of each week, a return-visit campaign for the
    /// customers whose cases closed since the last one.
    void maybe_start_campaign(date_t day) {
        if (!rules_.has_workflow("return_visit") || !office_->is_working_day(day)) return;
        date_t prev = day - days(1);
        bool first_of_week = true;
        for (date_t d = prev; weekday(d) < weekday(day); d -= days(1))
            if (office_->is_working_day(d)) first_of_week = false;
        if (!first_of_week || recently_closed_.size() < 5) return;
        instant start = office_->at_local(day, hours(9) + minutes(30));
        run_until(start);
        if (campaign_) return;  // the last one still runs: its customers wait for the next
        std::vector<customer_record> list;
        std::set<std::string> ids;
        for (const auto& [case_name, when] : recently_closed_) {
            (void)when;
            case_id c = eng_->find(case_name);
            value phone = eng_->attributes(c).count("phone") ? eng_->attribute(c, "phone") : value{};
            if (phone.is_none()) continue;
            // The customer behind the case: its phone number finds them in the archive.
            const customer* who = nullptr;
            for (const auto& k : customers_)
                if (k.phone == phone.as_string()) who = &k;
            if (!who || !ids.insert(who->id).second) continue;
            customer_record r{who->id, who->name, who->phone, who->member, day, case_name};
            list.push_back(std::move(r));
        }
        recently_closed_.clear();
        if (list.empty()) return;
        campaign_options o;
        o.name = "RV-" + format_date(day);
        o.start = start;
        const auto& agents = depts_[0].agents;
        std::size_t k = campaigns_run_ * 3;
        for (std::size_t i = 0; i < 3; ++i) o.agents.push_back(agents[(k + i) % agents.size()]);
        campaign_.emplace(*eng_, *office_, list, o, simulated_dialer(cfg_.seed + static_cast<std::uint32_t>(campaigns_run_)));
        ++campaigns_run_;
        if (out_)
            *out_ << "Return-visit campaign " << o.name << " starts: " << campaign_->result().summary.selected
                  << " customers, agents " << o.agents[0] << ", " << o.agents[1] << ", " << o.agents[2] << "\n\n";
    }

    void finish_campaign() {
        campaign_->run();
        adopt_linked();
        if (out_) *out_ << format_summary(campaign_->result().summary, *office_) << '\n';
        campaign_.reset();
    }

    void weekly(date_t sunday) {
        auto stats = weekly_stats(cases_of(*eng_), sunday, *opts_);
        *out_ << stats.label << ": " << stats.opened << " opened, " << stats.closed << " closed, " << stats.escalations
              << " escalations, SLA met " << stats.sla_met << ", breached " << stats.sla_breached << "\n\n";
    }
};

}  // namespace

demo_run simulate_month(const demo_config& config, std::ostream* out) { return simulation(config, out).run(); }

void add_demo_command(CLI::App& app, int& status) {
    auto* cmd = app.add_subcommand("demo", "Run a generated month (October 2026) of the three departments: daily digests, campaigns, SLA table");
    static demo_config cfg;
    static std::string format = "text";
    cmd->add_option("--rules", cfg.rules_dir, "rule directory")->capture_default_str();
    cmd->add_option("--seed", cfg.seed, "seed of the generated month")->capture_default_str();
    cmd->add_option("--scale", cfg.scale, "multiplies the daily arrival rates")->capture_default_str();
    cmd->add_option("--year", cfg.year, "year")->capture_default_str();
    cmd->add_option("--month", cfg.month, "month (1-12)")->capture_default_str()->check(CLI::Range(1, 12));
    cmd->add_flag("!--no-progress", cfg.progress, "no progress bar on stderr");
    cmd->callback([&status] {
        try {
            demo_run r = simulate_month(cfg, &std::cout);
            auto cases = cases_of(*r.eng);
            std::cout << "==== The month ====\n"
                      << format_stats(monthly_stats(cases, r.first, r.options), r.options) << '\n'
                      << r.eng->case_count() << " cases, " << r.campaigns << " return-visit campaigns\n";
            status = 0;
        } catch (const rule_errors& e) {
            for (const auto& err : e.errors()) std::cerr << err.what() << '\n';
            status = 2;
        } catch (const error& e) {
            std::cerr << "demo: " << e.what() << '\n';
            status = 2;
        }
    });
}

}  // namespace caseflow::cli
