// main() for the benchmark binary: runs the registered benchmarks with the
// usual console output, then prints a Markdown table of medians per suite:
// relstore, SQLite and the baseline side by side, with ratios. Benchmarks are
// named "<suite>/<relstore|sqlite|baseline>" and report items processed; a
// suite's "floor..." implementations (hand-written lower bounds) are listed
// under the table.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>

#include <unistd.h>

#include "support/bench_support.h"

namespace bench {

namespace {
std::vector<std::string>& notes() {
  static std::vector<std::string> n;
  return n;
}
}  // namespace

void addNote(const std::string& line) { notes().push_back(line); }

std::size_t rows() {
  const char* env = std::getenv("RELSTORE_BENCH_ROWS");
  return env ? static_cast<std::size_t>(std::strtoull(env, nullptr, 10)) : 1'000'000;
}

std::vector<std::int64_t> randomIds(std::size_t n, std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::int64_t> ids(count);
  for (auto& id : ids) id = static_cast<std::int64_t>(rng() % n) + 1;
  return ids;
}

namespace {

struct Figures {
  double nsPerItem = 0;   // median real time per item
  double itemsPerSecond = 0;
};

// Collects the median of each benchmark (or its only run, without repetitions).
class TableReporter : public benchmark::ConsoleReporter {
 public:
  explicit TableReporter(OutputOptions options) : ConsoleReporter(options) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      const bool single = run.run_type == Run::RT_Iteration && run.repetitions <= 1;
      if (!median && !single) continue;
      const std::string& name = run.run_name.function_name;
      auto it = run.counters.find("items_per_second");
      if (it == run.counters.end()) continue;
      Figures f;
      f.itemsPerSecond = it->second.value;
      f.nsPerItem = 1e9 / f.itemsPerSecond;
      const auto slash = name.rfind('/');
      results_[name.substr(0, slash)][name.substr(slash + 1)] = f;
    }
  }

  void printTable() const {
    if (results_.empty()) return;
    std::printf("\n| suite | relstore ns/item | SQLite ns/item | baseline ns/item | SQLite ÷ relstore | relstore ÷ baseline | relstore items/s |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& [suite, byImpl] : results_) {
      auto get = [&](const char* impl) -> const Figures* {
        auto it = byImpl.find(impl);
        return it == byImpl.end() ? nullptr : &it->second;
      };
      const Figures* r = get("relstore");
      const Figures* s = get("sqlite");
      const Figures* b = get("baseline");
      auto cell = [](const Figures* f) { return f ? std::to_string(static_cast<long long>(f->nsPerItem + 0.5)) : std::string("–"); };
      char ratioS[32] = "–", ratioB[32] = "–", rate[32] = "–";
      if (r && s) std::snprintf(ratioS, sizeof ratioS, "%.1f×", s->nsPerItem / r->nsPerItem);
      if (r && b) std::snprintf(ratioB, sizeof ratioB, "%.2f×", r->nsPerItem / b->nsPerItem);
      if (r) std::snprintf(rate, sizeof rate, "%.3g", r->itemsPerSecond);
      // Sub-10ns figures need a decimal to be meaningful.
      auto fine = [&](const Figures* f) {
        if (!f) return std::string("–");
        if (f->nsPerItem >= 10) return cell(f);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", f->nsPerItem);
        return std::string(buf);
      };
      std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", suite.c_str(), fine(r).c_str(), fine(s).c_str(),
                  fine(b).c_str(), ratioS, ratioB, rate);
    }
    // Floors: the least work the binding API allows, hand-written (see the
    // suites), and variants of it that put parts of relstore back.
    const char* gap = "\n";  // one blank line before the first
    for (const auto& [suite, byImpl] : results_) {
      const auto sqlite = byImpl.find("sqlite");
      for (const auto& [impl, f] : byImpl) {
        if (impl.rfind("floor", 0) != 0) continue;
        std::printf("%s%s/%s: %.0f ns/item", gap, suite.c_str(), impl.c_str(), f.nsPerItem);
        if (sqlite != byImpl.end()) std::printf(", SQLite ÷ it %.1f×", sqlite->second.nsPerItem / f.nsPerItem);
        std::printf("\n");
        gap = "";
      }
    }
    for (const std::string& line : notes()) std::printf("%s\n", line.c_str());
  }

 private:
  std::map<std::string, std::map<std::string, Figures>> results_;
};

}  // namespace

}  // namespace bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("rows per table: %zu; hardware threads: %u\n", bench::rows(), std::thread::hardware_concurrency());
  // Colours only on a terminal: the table is meant to be pasted.
  bench::TableReporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                                      : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.printTable();
  benchmark::Shutdown();
  return 0;
}
