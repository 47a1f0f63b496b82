// The engine's in-memory history: one append-ordered log of every case's
// records, each case's records chained newest to oldest.  Records are
// variable-length and byte-encoded (LEB128 varints), because most of what a
// record holds is a small number: a step of the dispatch fast path takes 12
// bytes, a case opened with four attributes and two deadlines about 60, where
// fixed 32-byte records with 8-byte payload slots took 144.  The encoding is
// also what the SQLite log will store (DESIGN 7), so persisting a record will
// not need a second encoder.
//
// Layout: 2 MiB chunks that never move, each starting a new time base; a
// record never straddles two chunks, and starts on a 4-byte boundary, so a
// record is named by its offset / 4 in a uint32 (16 GiB of history).  Chunks
// are 2 MiB-aligned and marked for transparent huge pages where the system
// has them: the log is written once, front to back, and a 4 KiB page fault
// every ~200 records cost more than writing them (page faults were a quarter
// of a history-keeping dispatch loop's time).
//
//   kind, code                  1 byte each
//   prev                        varint: (offset - prev offset) / 4, 0: none
//   at                          varint: ms after the chunk's time base (the
//                               log's time never goes back, so it is ≥ 0)
//   case, a + 1, b + 1          varints (no_id is stored as 0)
//   payload                     varint, only for a stepped event (the transition)
//   count, slots                varint, then each slot as a varint of its
//                               zigzag + 1 (0: unset)
//
// A stepped event (the hot record) has a fixed 20-byte form instead, cheaper
// to write than nine varints: kind | fixed_step, code, then in machine byte order
// u16 event, u16 from, u16 transition, u32 prev, u32 at, u32 case.  The other
// records written again and again (an action with at most one value, a
// rejected event, a closed case) have a fixed form too, chosen by the writer with
// append_small(): kind | fixed_small, code, u16 a + 1, u16 b + 1, u16 count
// (0 or 1), then u32 prev, u32 at, u32 case and the slot if any (20 or 28
// bytes).  Both fixed forms are written by detail::log_cursor::put_fixed
// (caseflow/detail/dispatch_core.hpp): the log's write position lives there
// so that engine::dispatch can append them in the host's loop.  append()
// keeps the varint form, shorter for what is written once per case (an
// opened case, its deadlines).
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include <sys/mman.h>

#include "caseflow/history.hpp"
#include "caseflow/detail/dispatch_core.hpp"
#include "caseflow/detail/slot.hpp"

namespace caseflow::detail {

/// A decoded record.
struct record {
    std::int64_t at;
    std::uint32_t case_index;
    std::uint32_t prev;         // previous record of the same case (log offset), or no_record
    std::uint32_t a = 0;        // event / transition / action / state / deadline / sla id
    std::uint32_t b = 0;        // from-leaf / linked case / agent / level
    std::uint32_t payload = 0;  // decoded: index of the first slot in the caller's slot vector
    std::uint16_t count = 0;    // slots in the payload
    record_kind kind;
    std::uint8_t code = 0;      // kind-specific: note / status / protocol event / action flags
};

class history_log {
public:
    static constexpr std::uint32_t no_record = 0xffffffffu;
    /// record::code bit of an event record that also stands for the
    /// transition it took (the dispatch fast path's one record a step): `b`
    /// is the from-leaf and `payload` the transition.
    static constexpr std::uint8_t event_stepped = log_cursor::event_stepped;

    /// Appends a stepped event record (see above); returns its offset.
    std::uint32_t append_step(std::uint32_t case_index, std::uint32_t prev, std::int64_t at, std::uint32_t event,
                              std::uint32_t from, std::uint32_t transition) {
        if (!step_fits(at, event, from, transition)) return append_step_slow(case_index, prev, at, event, from, transition);
        return append_step_fitting(case_index, prev, at, event, from, transition);
    }
    /// Whether append_step() takes its fixed form at once (no new chunk).  A
    /// caller that checks first and calls append_step_fitting() makes no
    /// call on its fast path.
    bool step_fits(std::int64_t at, std::uint32_t event, std::uint32_t from, std::uint32_t transition) const {
        return w_.fits(at) && (event | from | transition) <= 0xffff;
    }
    // Inlined into the fast paths whatever the compiler's size heuristics
    // say: a call there would make them save registers (it once stopped being
    // inlined into reject() as engine.cpp grew: +8 % instructions with history).
    [[gnu::always_inline]] std::uint32_t append_step_fitting(std::uint32_t case_index, std::uint32_t prev, std::int64_t at,
                                                             std::uint32_t event, std::uint32_t from, std::uint32_t transition) {
        return w_.put_step(event, from, transition, link(prev), at, case_index);
    }

    /// Appends a record that is not a stepped event in its fixed form when
    /// it has at most one slot and small ids (else as append() does).
    std::uint32_t append_small(const record& r, const slot* data) {
        if (!small_fits(r)) return append_small_slow(r.at, r.case_index, r.prev, r.a, r.b, r.count, r.kind, r.code, data);
        return append_small_fitting(r, data);
    }
    /// Whether append_small() takes its fixed form at once (as step_fits).
    bool small_fits(const record& r) const {
        return w_.fits(r.at, fixed_size + sizeof(slot)) && small_form(r.a, r.b, r.count, r.kind, r.code);
    }
    /// Whether a stepped event and then a one-slot action record (a `set`
    /// step: the step, the value set) both take their fixed forms at once.
    bool step_and_value_fit(std::int64_t at, std::uint32_t event, std::uint32_t from, std::uint32_t transition,
                            std::uint32_t action) const {
        return w_.fits(at, 2 * fixed_size + sizeof(slot)) && (event | from | transition) <= 0xffff &&
               small_form(action, no_record, 1, record_kind::action, 0);
    }
    [[gnu::always_inline]] std::uint32_t append_small_fitting(const record& r, const slot* data) {  // (as above)
        std::uint8_t* const p = w_.cur;
        const std::uint32_t offset =
            w_.put_small(static_cast<std::uint8_t>(r.kind), r.code, r.a, r.b, r.count, link(r.prev), r.at, r.case_index);
        if (r.count) log_cursor::store(p + fixed_size, data[0]);
        return offset;
    }

    /// Appends a record (r.payload is ignored unless it is a stepped event;
    /// `data` holds r.count slots); returns its offset.
    std::uint32_t append(const record& r, const slot* data) {
        const std::size_t worst = 2 + 5 * 5 + 10 + 5 + std::size_t{r.count} * 10;
        if (static_cast<std::size_t>(w_.end - w_.cur) < worst || r.at < w_.base) next_chunk(r.at);  // (time never goes back)
        std::uint8_t* p = w_.cur;
        const std::uint32_t offset = w_.offset;
        p[0] = static_cast<std::uint8_t>(r.kind);
        p[1] = r.code;
        p += 2;
        put(p, offset - link(r.prev));
        put(p, static_cast<std::uint64_t>(r.at - w_.base));
        put(p, r.case_index);
        put(p, std::uint32_t(r.a + 1));
        put(p, std::uint32_t(r.b + 1));
        if (r.kind == record_kind::event && (r.code & event_stepped)) put(p, r.payload);
        put(p, r.count);
        for (std::uint32_t i = 0; i < r.count; ++i) put(p, encode_slot(data[i]));
        const std::size_t size = (static_cast<std::size_t>(p - w_.cur) + 3) & ~std::size_t{3};
        w_.cur += size;
        w_.offset += static_cast<std::uint32_t>(size / 4);
        return offset;
    }

    /// Decodes the record at `offset`; its slots go to the end of `slots`.
    record decode(std::uint32_t offset, std::vector<slot>& slots) const {
        const std::size_t byte = std::size_t{offset} * 4;
        return decode_at(chunks_[byte / chunk_size].get() + byte % chunk_size, bases_[byte / chunk_size], offset, slots);
    }

    /// Calls f(offset, record) for every record, in the order they were
    /// appended; their slots go to the end of `slots`.
    template <class F>
    void for_each(std::vector<slot>& slots, F&& f) const {
        for (std::size_t c = 0; c < chunks_.size(); ++c) {
            const std::uint8_t* const begin = chunks_[c].get();
            const std::uint8_t* const end = begin + (c + 1 == chunks_.size() ? static_cast<std::size_t>(w_.cur - begin_) : chunk_used_[c]);
            for (const std::uint8_t* p = begin; p < end;) {
                const auto offset = static_cast<std::uint32_t>((c * chunk_size + static_cast<std::size_t>(p - begin)) / 4);
                f(offset, decode_at(p, bases_[c], offset, slots, &p));
            }
        }
    }

    /// The records in the log, counted by decoding them all (tests and
    /// checks: a counter of its own cost every record an instruction).
    std::size_t size() const {
        std::size_t n = 0;
        std::vector<slot> slots;
        for_each(slots, [&](std::uint32_t, const record&) {
            ++n;
            slots.clear();
        });
        return n;
    }
    /// Where the next record goes, for the engine's inline dispatch.
    log_cursor* cursor() noexcept { return &w_; }
    /// Bytes held by the encoded records (chunk tails excluded).
    std::size_t bytes() const noexcept {
        std::size_t n = static_cast<std::size_t>(w_.cur - begin_);
        for (std::size_t c = 0; c + 1 < chunks_.size(); ++c) n += chunk_used_[c];
        return n;
    }

private:
    // The `prev` a writer stores as `offset - prev` for a record written at
    // w_.offset: a case's first record links to itself, which stores 0 (none).
    std::uint32_t link(std::uint32_t prev) const noexcept { return prev == no_record ? w_.offset : prev; }

    static constexpr std::size_t chunk_size = std::size_t{1} << 21;
    static constexpr std::uint8_t fixed_step = log_cursor::fixed_step;    // kind-byte bit: a stepped event's fixed form
    static constexpr std::uint8_t fixed_small = log_cursor::fixed_small;  // kind-byte bit: append_small()'s fixed form
    static constexpr std::size_t fixed_size = log_cursor::fixed_size;     // either fixed form, without the slot
    static_assert(log_cursor::stepped_kind == (static_cast<std::uint8_t>(record_kind::event) | fixed_step) &&
                      log_cursor::rejected_kind == static_cast<std::uint8_t>(record_kind::rejected) &&
                      log_cursor::action_kind == static_cast<std::uint8_t>(record_kind::action) &&
                      log_cursor::closed_kind == static_cast<std::uint8_t>(record_kind::closed) && sizeof(slot) == 8,
                  "the inline path's record kinds");

    // Byte order is the machine's (as log_cursor::store writes it): the log
    // lives in memory (a persisted copy would fix little-endian here).
    template <class T>
    static T load(const std::uint8_t* p) noexcept {
        T v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }

    static void put(std::uint8_t*& p, std::uint64_t v) noexcept {
        while (v >= 0x80) {
            *p++ = static_cast<std::uint8_t>(v | 0x80);
            v >>= 7;
        }
        *p++ = static_cast<std::uint8_t>(v);
    }
    static std::uint64_t get(const std::uint8_t*& p) noexcept {
        std::uint64_t v = 0;
        for (unsigned shift = 0;; shift += 7) {
            const std::uint8_t byte = *p++;
            v |= std::uint64_t{byte & 0x7fu} << shift;
            if (!(byte & 0x80)) return v;
        }
    }
    static std::uint64_t encode_slot(slot s) noexcept {
        if (s == unset_slot) return 0;
        return ((static_cast<std::uint64_t>(s) << 1) ^ static_cast<std::uint64_t>(s >> 63)) + 1;
    }
    static slot decode_slot(std::uint64_t v) noexcept {
        if (v == 0) return unset_slot;
        --v;
        return static_cast<slot>((v >> 1) ^ (~(v & 1) + 1));
    }
    /// Decodes the record at p (offset `offset`, in a chunk whose time base
    /// is `base`); `next`, if given, receives where the next record starts.
    static record decode_at(const std::uint8_t* const start, std::int64_t base, std::uint32_t offset, std::vector<slot>& slots,
                            const std::uint8_t** next = nullptr) {
        record r{};
        r.kind = static_cast<record_kind>(start[0] & ~(fixed_step | fixed_small));
        r.code = start[1];
        if (start[0] & fixed_small) {
            r.a = load<std::uint16_t>(start + 2) - 1u;
            r.b = load<std::uint16_t>(start + 4) - 1u;
            r.count = load<std::uint16_t>(start + 6);
            const std::uint32_t back = load<std::uint32_t>(start + 8);
            r.prev = back == 0 ? no_record : offset - back;
            r.at = base + load<std::uint32_t>(start + 12);
            r.case_index = load<std::uint32_t>(start + 16);
            r.payload = static_cast<std::uint32_t>(slots.size());
            if (r.count) slots.push_back(load<slot>(start + fixed_size));
            if (next) *next = start + fixed_size + (r.count ? sizeof(slot) : 0);
            return r;
        }
        if (start[0] & fixed_step) {
            r.a = load<std::uint16_t>(start + 2);
            r.b = load<std::uint16_t>(start + 4);
            r.payload = load<std::uint16_t>(start + 6);
            const std::uint32_t back = load<std::uint32_t>(start + 8);
            r.prev = back == 0 ? no_record : offset - back;
            r.at = base + load<std::uint32_t>(start + 12);
            r.case_index = load<std::uint32_t>(start + 16);
            if (next) *next = start + fixed_size;
            return r;
        }
        const std::uint8_t* p = start + 2;
        const std::uint64_t back = get(p);
        r.prev = back == 0 ? no_record : static_cast<std::uint32_t>(offset - back);
        r.at = base + static_cast<std::int64_t>(get(p));
        r.case_index = static_cast<std::uint32_t>(get(p));
        r.a = static_cast<std::uint32_t>(get(p) - 1);
        r.b = static_cast<std::uint32_t>(get(p) - 1);
        const bool stepped = r.kind == record_kind::event && (r.code & event_stepped);
        if (stepped) r.payload = static_cast<std::uint32_t>(get(p));
        r.count = static_cast<std::uint16_t>(get(p));
        if (!stepped) r.payload = static_cast<std::uint32_t>(slots.size());
        for (std::uint32_t i = 0; i < r.count; ++i) slots.push_back(decode_slot(get(p)));
        if (next) *next = start + ((static_cast<std::size_t>(p - start) + 3) & ~std::size_t{3});
        return r;
    }
    /// append_step() when the fixed form does not fit: a new chunk (the
    /// chunk is full or `at` is beyond its time base's reach), else the
    /// varint form (ids wider than 16 bits).
    [[gnu::noinline]] std::uint32_t append_step_slow(std::uint32_t case_index, std::uint32_t prev, std::int64_t at,
                                                     std::uint32_t event, std::uint32_t from, std::uint32_t transition) {
        if ((event | from | transition) > 0xffff)
            return append(record{at, case_index, prev, event, from, transition, 0, record_kind::event, event_stepped}, nullptr);
        next_chunk(at);
        return append_step(case_index, prev, at, event, from, transition);  // fits now
    }
    /// Whether a record of this shape has append_small()'s fixed form: at
    /// most one slot, ids that fit 16 bits once no_id is mapped to 0, and not
    /// a stepped event (append_step()'s form).
    static bool small_form(std::uint32_t a, std::uint32_t b, std::uint16_t count, record_kind kind, std::uint8_t code) {
        return count <= 1 && a + 1 <= 0xffff && b + 1 <= 0xffff && !(kind == record_kind::event && (code & event_stepped));
    }
    /// append_small() when the fixed form does not fit: a new chunk (the
    /// chunk is full or `at` is beyond its time base's reach), else the
    /// varint form.  Scalars, not a record: the fast path then keeps its
    /// record in registers.
    [[gnu::noinline]] std::uint32_t append_small_slow(std::int64_t at, std::uint32_t case_index, std::uint32_t prev,
                                                      std::uint32_t a, std::uint32_t b, std::uint16_t count,
                                                      record_kind kind, std::uint8_t code, const slot* data) {
        const record r{at, case_index, prev, a, b, 0, count, kind, code};
        if (!small_form(a, b, count, kind, code)) return append(r, data);
        next_chunk(at);
        return append_small(r, data);  // fits now
    }
    [[gnu::noinline]] void next_chunk(std::int64_t base) {
        if ((chunks_.size() + 1) * chunk_size / 4 > std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("history log: more than 16 GiB of records");
        if (!chunks_.empty()) chunk_used_.push_back(static_cast<std::size_t>(w_.cur - begin_));
        // Raw memory: the kernel maps a page when it is first written.
        void* mem = ::operator new(chunk_size, std::align_val_t{chunk_size});
#ifdef MADV_HUGEPAGE
        ::madvise(mem, chunk_size, MADV_HUGEPAGE);
#endif
        chunks_.emplace_back(static_cast<std::uint8_t*>(mem));
        bases_.push_back(base);
        begin_ = chunks_.back().get();
        w_.start_chunk(begin_, chunk_size, base, static_cast<std::uint32_t>((chunks_.size() - 1) * (chunk_size / 4)));
    }
    struct release {
        void operator()(std::uint8_t* p) const noexcept { ::operator delete(p, std::align_val_t{chunk_size}); }
    };
    std::vector<std::unique_ptr<std::uint8_t[], release>> chunks_;
    std::vector<std::int64_t> bases_;       // per chunk: the time base
    std::vector<std::size_t> chunk_used_;   // per full chunk: bytes used
    // The chunk being written: [begin_, w_.cur) used.
    std::uint8_t* begin_ = nullptr;
    log_cursor w_;
};

}  // namespace caseflow::detail
