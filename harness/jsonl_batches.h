// The parallel line loop of the bundle's JSONL readers (queries.jsonl, responses.jsonl): the
// same checks and messages as for_each_jsonl_line (jsonl_lines.h), with the parsing spread
// over the run's threads.
//
// The file is read in file order, in batches of LoadOptions::lines_per_batch lines (fewer when
// they pass kBatchBytes). Each batch is cut into blocks of LoadOptions::lines_per_block lines,
// a cut that depends only on the file, never on the thread count (harness/parallel.h); the
// blocks are parsed on the context's threads, each line into its own Outcome slot; then one
// task walks the slots in file order, adds each line's problems and merges each good line.
// Checks that need other lines (duplicates) belong in the merge, which sees the lines in file
// order as a serial reader would. So the problems, their order and the loaded values are the
// same for any --threads. The content hash is fed by the one reading task, in file order,
// before any line is parsed in place.
//
// Not for: files that are not bundle inputs (jsonl_lines.h reads those one line at a time).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "harness/bundle_loader.h"
#include "harness/content_hash.h"
#include "harness/jsonl_lines.h"
#include "harness/line_reader.h"
#include "harness/parallel.h"
#include "harness/problem_list.h"
#include "harness/run_context.h"

namespace zooter {

// What a reader's parse step leaves for one line, besides its own values (a reader's Outcome
// derives from this). The problems are the line's, in the order found; `ok` says the line had
// none and is to be merged. The line's first bytes are kept for the excerpts of problems found
// later, in the merge: by then in-situ parsing has rewritten the line.
struct LineOutcome {
  std::vector<std::string> problems;
  bool ok = false;
  // 96 bytes: excerpt_of shows 80, plus the rest of a UTF-8 character cut there, and the size
  // past 80 decides its "...".
  char head[96];
  std::uint8_t head_size = 0;

  [[nodiscard]] std::string_view excerpt() const { return {head, head_size}; }
};

// A batch stops growing past this many bytes (or at lines_per_batch lines): it bounds the
// memory a batch holds, which is besides the loaded bundle.
inline constexpr std::size_t kBatchBytes = 32u << 20;

// Reads `path` and calls, for every line in file order, merge(line_number, outcome) after
// parse(JsonlLine, outcome) filled the outcome with ok set. make_parser() is called once per
// block, on the block's thread, and returns the parse callable (so per-line scratch is per
// block, never shared). parse may rewrite the line's bytes (in-situ parsing) and read shared
// state, but nothing that merge writes: the merge of one batch runs while the next is parsed.
// Outcome must derive from LineOutcome; a slot is reused for later batches, with problems
// cleared and ok reset, and other members as parse left them.
// Before merging a line, the merge calls look_ahead(outcome) on the good line kLookAhead lines
// further on: a merge that probes a large table can start fetching that line's slot, so the
// one thread that merges waits on memory less (at a million queries the query ids' index is
// larger than the caches).
inline constexpr std::size_t kLookAhead = 8;

template <typename Outcome, typename MakeParser, typename Merge,
          typename LookAhead = void (*)(const Outcome&)>
void read_jsonl_in_parallel(const std::string& path, const LoadOptions& options,
                            const RunContext& ctx, ProblemList& problems, ContentHash& hash,
                            MakeParser make_parser, Merge merge,
                            LookAhead look_ahead = [](const Outcome&) {}) {
  enum class Kind : std::uint8_t { kText, kTooLong, kByteOrderMark };
  struct BatchLine {
    std::size_t number = 0;
    std::size_t offset = 0;  // into bytes
    std::size_t size = 0;    // without the NUL appended in bytes
    Kind kind = Kind::kText;
  };
  struct Batch {
    std::vector<char> bytes;
    std::vector<BatchLine> lines;
    std::vector<Outcome> outcomes;
  };
  LineReader reader(path, options.max_line_bytes);
  LineReader::Line line;
  bool at_end = false;
  std::size_t total_lines = 0;
  const std::size_t batch_lines = std::max<std::size_t>(1, options.lines_per_batch);
  const std::size_t block_lines = std::max<std::size_t>(1, options.lines_per_block);
  const std::string too_long =
      "line longer than " + std::to_string(options.max_line_bytes) + " bytes; not parsed";

  // Reading, parsing and merging form a pipeline over three batches: while the blocks of batch
  // k are parsed, batch k + 1 is read (and hashed, before anything rewrites it) and batch k - 1
  // merged, so the two steps that must run in file order overlap the parallel one.
  auto read = [&](Batch& b) {
    b.lines.clear();
    b.bytes.clear();
    while (b.lines.size() < batch_lines && b.bytes.size() < kBatchBytes) {
      if (!reader.next(line)) {
        at_end = true;
        return;
      }
      ++total_lines;
      BatchLine l{line.number, b.bytes.size(), 0, Kind::kText};
      if (line.too_long) {
        l.kind = Kind::kTooLong;
      } else {
        hash.update(line.text);
        if (line.number == 1 && reader.starts_with_bom()) l.kind = Kind::kByteOrderMark;
        l.size = line.text.size();
        b.bytes.insert(b.bytes.end(), line.text.begin(), line.text.end());
        b.bytes.push_back('\0');  // in-situ parsing reads up to a NUL
      }
      b.lines.push_back(l);
    }
  };
  auto parse_lines = [&](Batch& b, std::size_t begin, std::size_t end) {
    auto parse = make_parser();
    for (std::size_t i = begin; i < end; ++i) {
      const BatchLine& l = b.lines[i];
      Outcome& o = b.outcomes[i];
      o.problems.clear();
      o.ok = false;
      if (l.kind == Kind::kTooLong) continue;
      char* data = b.bytes.data() + l.offset;
      const std::string_view text(data, l.size);
      o.head_size = static_cast<std::uint8_t>(std::min(text.size(), sizeof o.head));
      std::memcpy(o.head, data, o.head_size);
      if (l.kind == Kind::kByteOrderMark) {
        o.problems.emplace_back("starts with a UTF-8 byte-order mark; save the file without it");
        continue;
      }
      if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
        // Parsers stop at a NUL: whatever follows would be dropped without a word.
        o.problems.push_back("column " + std::to_string(nul + 1) + ": NUL byte in line");
        continue;
      }
      if (text.find_first_not_of(" \t") == std::string_view::npos) {
        o.problems.emplace_back("empty line");
        continue;
      }
      parse(JsonlLine{l.number, data, text, o.excerpt()}, o);
    }
  };
  auto merge_batch = [&](Batch& b) {
    for (std::size_t i = 0; i < b.lines.size(); ++i) {
      if (const std::size_t ahead = i + kLookAhead;
          ahead < b.lines.size() && b.lines[ahead].kind != Kind::kTooLong && b.outcomes[ahead].ok) {
        look_ahead(b.outcomes[ahead]);
      }
      const BatchLine& l = b.lines[i];
      if (l.kind == Kind::kTooLong) {
        problems.add(l.number, too_long);
        continue;
      }
      Outcome& o = b.outcomes[i];
      for (std::string& p : o.problems) problems.add(l.number, std::move(p), o.excerpt());
      if (o.ok) merge(l.number, o);
    }
    b.lines.clear();
  };

  Batch batches[3];
  for (Batch& b : batches) {
    // Room for the largest batch up front: growing would copy it and fault in fresh pages on
    // the reading task each time (untouched room costs no memory).
    b.bytes.reserve(kBatchBytes + options.max_line_bytes + 1);
    b.lines.reserve(std::min<std::size_t>(batch_lines, 1u << 20));
  }
  read(batches[0]);
  // Step k reads batch k + 1, parses batch k and merges batch k - 1 (each when there is one).
  for (std::size_t k = 0;; ++k) {
    Batch* reading = at_end ? nullptr : &batches[(k + 1) % 3];
    Batch& parsing = batches[k % 3];
    Batch* merging = k > 0 && !batches[(k + 2) % 3].lines.empty() ? &batches[(k + 2) % 3] : nullptr;
    if (reading == nullptr && merging == nullptr && parsing.lines.empty()) break;
    const std::size_t lines = parsing.lines.size();
    if (parsing.outcomes.size() < lines) parsing.outcomes.resize(lines);
    const std::size_t blocks = (lines + block_lines - 1) / block_lines;
    // Work items: 0 reads, 1 merges, 2.. parse one block each; a fixed list for any thread count.
    parallel_for_each(
        ctx, 2 + blocks,
        [&](std::size_t item) {
          if (item == 0) {
            if (reading != nullptr) read(*reading);
          } else if (item == 1) {
            if (merging != nullptr) merge_batch(*merging);
          } else {
            const std::size_t begin = (item - 2) * block_lines;
            parse_lines(parsing, begin, std::min(lines, begin + block_lines));
          }
        },
        1);
  }
  if (total_lines == 0) problems.add(0, "file is empty");
}

}  // namespace zooter
