// What engine::dispatch(case_id, event_id, instant) reads on its inline path:
// the engine's hot case records and its dispatch cells.  Layout only: the
// engine (src/engine.cpp) builds and keeps them, and nothing here is API.
// They are in a header so that the commonest steps (move the leaf, add a
// literal to an attribute) run in the host's own loop, without a call into
// the compiled library (bench/performance_notes.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

/// A condition the inline dispatch expects to hold: the compiler lays its
/// path out straight, without a taken branch (bench/performance_notes.md).
#if defined(__GNUC__) || defined(__clang__)
#define CASEFLOW_LIKELY(x) __builtin_expect(static_cast<bool>(x), 1)
#else
#define CASEFLOW_LIKELY(x) (x)
#endif

namespace caseflow::detail {

/// Where a case is: its active leaf, its workflow, and the first of the
/// dispatch cells of that (workflow, leaf) pair, so that dispatch finds its
/// cell from the case record alone.  One 8-byte value: a move copies a cell's
/// target over it in one store.
struct case_place {
    /// The pair's first cell in dispatch_core::cell_data, in bytes (its
    /// index times 32): dispatch adds it to the event's cell without a shift.
    std::uint32_t row = 0;
    std::uint16_t leaf = 0;
    std::uint16_t workflow = 0;  ///< (the engine refuses rule sets that need more)
};

/// The hot part of a case: all that dispatch reads, and where a step finds
/// the deadlines it cancels.  32 bytes, aligned: one cache line per case, and
/// 1024 cases' records fit a 32 KiB L1 cache.  The engine keeps the rest elsewhere.
struct alignas(32) case_rec {
    case_place at;                 ///< changed only with the row that goes with the leaf
    /// The case's last history record.  (Not next to `version`: GCC packed a
    /// logged move's stores to the two into one vector store.)
    std::uint32_t last = 0xffffffffu;
    std::uint32_t attrs = 0;       ///< offset of the case's attribute slots in dispatch_core::attr_data
    std::uint32_t version = 0;
    std::uint32_t timers = 0xffffffffu;  ///< the first of its pending deadlines and deferrals (the engine's chain)
    bool closed = false;
    bool escalated = false;  ///< a ladder runs: of its steps, only (guarded) move and sum cells skip the interpreter
    bool calls = false;      ///< a tracked call was made: closing the case must stop its retries
    /// Linked cases opened so far: not hot, but in bytes the alignment
    /// leaves free, so that the engine's cold part of a case stays 16 bytes.
    std::uint16_t children = 0;

    /// Nothing for a close to wind down but SLA clocks: no deadline or
    /// deferred action pending, no ladder, no tracked call.
    bool idle() const { return timers == 0xffffffffu && !escalated && !calls; }
};
static_assert(sizeof(case_rec) == 32, "the hot part of a case stays small");

/// What one (leaf, event) pair does, when that can be said once per engine.
struct dispatch_cell {
    enum shape : std::uint8_t {
        // Engines without a history (run inline in engine::dispatch; the
        // kinds after `guarded_move` are the library's):
        /// One unguarded plain step, of an event that does not end an
        /// escalation; or an ignored event: no transition of the leaf or its
        /// ancestors takes it, or the leaf is a top-level final state.  One
        /// path for both (`answer`): in a mixed stream of events the test
        /// between them was often mispredicted, and without it the mixed
        /// lifecycle ran 17 % faster (bench/performance_notes.md).
        move,
        set_add,       ///< one unguarded internal step whose only action is `set: {a: b + literal}`
        guarded_move,  ///< a plain step whose guard compares an attribute with a literal, and
                       ///< which is taken whenever that guard holds (see guard_holds)
        // Any engine:
        checked,         ///< the event requires data, or is no event of the workflow
        steps,           ///< guards, several candidates or general steps
        close,           ///< one unguarded step to a top-level final state, without actions
        // Engines that keep a history:
        logged_move,          ///< `move`, recorded
        logged_set_add,       ///< `set_add`, recorded
        logged_guarded_move,  ///< `guarded_move`, recorded
        logged_none,          ///< `none`, the rejection recorded
        logged_closed,        ///< `closed`, the rejection recorded
    };
    shape kind = checked;
    std::uint8_t fields = 0;  ///< the event's field count
    union {
        std::uint16_t set_attr = 0;  ///< set_add: attrs[set_attr] = attrs[operand] + literal
        /// move, guarded_move: what the case's version grows by (1 for a
        /// step, 0 for an ignored event) and the dispatch_status answered
        /// (accepted; no_transition or case_closed).
        struct {
            std::uint8_t steps;
            std::uint8_t status;
        } answer;
    };
    std::uint32_t transition = 0xffffffffu;
    /// move, guarded_move, close: the case's place after the step (an
    /// ignored event's move: its own).
    case_place target;
    union {
        std::uint32_t action = 0xffffffffu;  ///< set_add: the action
        /// guarded_move: the orders of (attrs[operand], literal) for which the
        /// guard holds: bit 0 less, bit 1 equal, bit 2 greater.
        std::uint32_t holds_when;
    };
    std::uint32_t operand = 0;  ///< set_add: the attribute added to; guarded_move: the one compared
    union {
        std::int64_t literal = 0;  ///< never the unset value; set_add: never negative
        /// logged_move, logged_none, logged_closed: the log_cursor::head() of
        /// the event's record.
        std::uint64_t head;
    };
};
static_assert(sizeof(dispatch_cell) == 32, "two cells a cache line");

/// Whether a guarded_move cell's guard holds for the value `a` of its
/// attribute: as expression comparisons, never when the value is unset.
/// Branch free, like the evaluator's.
inline bool guard_holds(const dispatch_cell& cell, std::int64_t a) {
    const int order = (a > cell.literal) - (a < cell.literal) + 1;
    return ((cell.holds_when >> order) & 1u) != 0 && a != INT64_MIN;
}

/// Where the engine's history log (src/history_log.hpp, which describes its
/// record forms) writes next: the inline path appends the fixed-form records
/// of a step, a rejection, a sum or a close itself when they fit the chunk.
struct log_cursor {
    std::uint8_t* cur = nullptr;  ///< 4-byte aligned
    std::uint8_t* end = nullptr;  ///< the end of the chunk being written
    std::int64_t base = 0;        ///< that chunk's time base
    std::uint32_t offset = 0;     ///< cur's offset in the log: its byte / 4, a record's name
    /// end - inline_max + 1: an inline record starts before it (room();
    /// null before the first chunk, where no record fits).
    std::uint8_t* room_end = nullptr;

    static constexpr std::size_t fixed_size = 20;
    /// The instants a chunk holds from its time base: a fixed-form record
    /// keeps its time as a 32-bit offset.
    static constexpr std::int64_t time_span = std::int64_t{1} << 32;
    static constexpr std::uint8_t fixed_step = 0x80;   ///< kind-byte bit: a stepped event's fixed form
    static constexpr std::uint8_t fixed_small = 0x40;  ///< kind-byte bit: the other fixed form
    /// The code of an event record that stands for its transition too.
    static constexpr std::uint8_t event_stepped = 0x40;
    static constexpr std::uint8_t stepped_kind = 1 | fixed_step;    ///< record_kind::event, stepped
    static constexpr std::uint8_t rejected_kind = 2;  ///< record_kind::rejected (put_small's)
    static constexpr std::uint8_t action_kind = 4;    ///< record_kind::action
    static constexpr std::uint8_t closed_kind = 11;   ///< record_kind::closed

    /// The most bytes engine::dispatch writes for one event: a step's record
    /// and a `set` action's with its value.
    static constexpr std::size_t inline_max = 2 * fixed_size + 8;

    /// Whether a fixed-form record of `size` bytes at `at` fits the chunk
    /// (else the log starts a new one first, out of line).
    bool fits(std::int64_t at, std::size_t size = fixed_size) const {
        // (wraps when at < base: too wide, as it should be)
        return static_cast<std::size_t>(end - cur) >= size &&
               static_cast<std::uint64_t>(at) - static_cast<std::uint64_t>(base) < static_cast<std::uint64_t>(time_span);
    }
    /// fits() for engine::dispatch, whatever it writes (up to inline_max
    /// bytes), in one compare: its instant has passed the check against
    /// next_due, so it is below time_end(), and it is never before the
    /// engine's time, so never before the chunk's base.  Stricter than
    /// fits() at a chunk's end, where the library's path writes the same
    /// fixed forms.  (Checking the instant here too cost every inline record
    /// three instructions.)
    bool room() const { return cur < room_end; }
    /// base + time_span (saturated), or INT64_MIN before the first chunk: the
    /// first instant the chunk cannot hold.  The engine keeps its
    /// dispatch_core::next_due at or below it, so the inline dispatch's time
    /// check covers the chunk's.
    std::int64_t time_end() const {
        if (!end) return INT64_MIN;
        return base > INT64_MAX - time_span ? INT64_MAX : base + time_span;
    }
    /// Sets the chunk being written: [begin, end), its time base `at_base`,
    /// `begin` at log offset `at_offset`.
    void start_chunk(std::uint8_t* begin, std::size_t size, std::int64_t at_base, std::uint32_t at_offset) {
        cur = begin;
        end = begin + size;
        room_end = end - inline_max + 1;
        base = at_base;
        offset = at_offset;
    }
    /// Writes a fixed-form record of `size` bytes (its slot, if any, is the
    /// caller's to write after the first 20) for a case whose previous
    /// record is `prev`, or `offset` (this record's own) when it has none,
    /// and returns its offset.  The caller has checked fits() or room().
    /// Machine byte order: the log is in memory.
    std::uint32_t put_fixed(std::uint8_t kind, std::uint8_t code, std::uint16_t x, std::uint16_t y, std::uint16_t z,
                            std::uint32_t prev, std::int64_t at, std::uint32_t case_index, std::size_t size = fixed_size) {
        std::uint8_t* const p = cur;
        p[0] = kind;
        p[1] = code;
        store(p + 2, x);
        store(p + 4, y);
        store(p + 6, z);
        return put_rest(p, prev, at, case_index, size);
    }
    /// A fixed-form record's first 8 bytes, as put_fixed() writes them: for
    /// a dispatch cell to keep (dispatch_cell::head).
    static std::uint64_t head(std::uint8_t kind, std::uint8_t code, std::uint16_t x, std::uint16_t y, std::uint16_t z) {
        std::uint8_t b[8] = {kind, code};
        store(b + 2, x);
        store(b + 4, y);
        store(b + 6, z);
        std::uint64_t h;
        std::memcpy(&h, b, sizeof h);
        return h;
    }
    /// head() of put_step()'s record.  (put_step keeps its own field
    /// stores: written through this, GCC built the head in memory and a
    /// history lifecycle took 944k → 1,094k instructions.)
    static std::uint64_t step_head(std::uint32_t event, std::uint32_t from, std::uint32_t transition) {
        return head(stepped_kind, event_stepped, static_cast<std::uint16_t>(event), static_cast<std::uint16_t>(from),
                    static_cast<std::uint16_t>(transition));
    }
    /// head() of the record of an event rejected `why` (a dispatch_status),
    /// as the library writes it: put_small(rejected_kind, why, event, 0, 0, ...).
    static std::uint64_t rejected_head(std::uint8_t why, std::uint32_t event) {
        return head(rejected_kind | fixed_small, why, static_cast<std::uint16_t>(event + 1), 1, 0);
    }
    /// put_fixed() of a 20-byte record whose head() is `h`: one store.
    std::uint32_t put_headed(std::uint64_t h, std::uint32_t prev, std::int64_t at, std::uint32_t case_index) {
        std::uint8_t* const p = cur;
        store(p, h);
        return put_rest(p, prev, at, case_index, fixed_size);
    }
    /// put_fixed() for any other record of at most one slot (`count`): ids
    /// `a` and `b` are stored + 1, so that 0xffffffff (none) is 0.
    std::uint32_t put_small(std::uint8_t kind, std::uint8_t code, std::uint32_t a, std::uint32_t b, std::uint16_t count,
                            std::uint32_t prev, std::int64_t at, std::uint32_t case_index) {
        return put_fixed(static_cast<std::uint8_t>(kind | fixed_small), code, static_cast<std::uint16_t>(a + 1),
                         static_cast<std::uint16_t>(b + 1), count, prev, at, case_index, fixed_size + (count ? 8 : 0));
    }
    /// put_fixed() for a stepped event: `event` taken from leaf `from` by `transition`.
    std::uint32_t put_step(std::uint32_t event, std::uint32_t from, std::uint32_t transition, std::uint32_t prev, std::int64_t at,
                           std::uint32_t case_index) {
        return put_fixed(stepped_kind, event_stepped, static_cast<std::uint16_t>(event), static_cast<std::uint16_t>(from),
                         static_cast<std::uint16_t>(transition), prev, at, case_index);
    }
    template <class T>
    static void store(std::uint8_t* p, T v) {
        std::memcpy(p, &v, sizeof v);
    }

private:
    // What follows the head of a fixed-form record at p (= cur).
    std::uint32_t put_rest(std::uint8_t* const p, std::uint32_t prev, std::int64_t at, std::uint32_t case_index, std::size_t size) {
        const std::uint32_t o = offset;
        store(p + 8, o - prev);
        store(p + 12, static_cast<std::uint32_t>(static_cast<std::uint64_t>(at) - static_cast<std::uint64_t>(base)));
        store(p + 16, case_index);
        cur = p + size;
        offset = o + static_cast<std::uint32_t>(size / 4);
        return o;
    }
};

/// The engine's state that every dispatch reads first, on one cache line.
/// The `*_data` pointers are the engine's arrays' data(), kept as they grow.
struct dispatch_core {
    std::int64_t now = INT64_MIN;
    /// Nothing needs the library before this: no timer is due, and the
    /// history's chunk (log_cursor::time_end()) holds the instant.  A lower
    /// bound: cancelling a timer or starting a chunk leaves it low.
    std::int64_t next_due = INT64_MAX;
    std::uint32_t case_count = 0;
    bool has_sink = false;  ///< a sink is owed every `set` action
    /// The bytes of a row of cells: every (workflow, leaf) pair has as many
    /// cells as the workflow with the most events, so a case's row and an
    /// event index find the cell (an event's cell is index × 32 bytes into
    /// the row: dispatch checks that offset against this, and keeps only it).
    /// 64 bits, as the offset: one compare.
    std::uint64_t row_bytes = 0;
    case_rec* case_data = nullptr;
    const dispatch_cell* cell_data = nullptr;
    std::int64_t* attr_data = nullptr;  ///< every case's attribute slots
    log_cursor* cursor = nullptr;       ///< the history log's, in an engine that keeps one
};
static_assert(sizeof(dispatch_core) <= 64, "one cache line");

}  // namespace caseflow::detail
