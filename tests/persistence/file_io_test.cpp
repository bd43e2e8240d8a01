// Fault injection into the atomic save: whichever step fails, the previous
// snapshot stays loadable and no temporary file is left behind.
#include <gtest/gtest.h>

#include <cerrno>

#include "file_io.h"
#include "snapshot_test_support.h"

using namespace relstore;
using snaptest::dump;

namespace {

enum class Step { CreateTemp, Write, ShortWrite, InterruptedWrite, WriteNothing, Fsync, Close, Rename, OpenDir, FsyncDir };

// Passes every call to the real file system except the one `step` names.
class FaultyFileSystem : public detail::FileSystem {
 public:
  FaultyFileSystem(Step step, int error) : step_(step), error_(error) {}

  int createTemp(std::string& pattern) override {
    if (step_ == Step::CreateTemp) return fail();
    return FileSystem::createTemp(pattern);
  }
  ssize_t write(int fd, const void* data, std::size_t bytes) override {
    ++writes_;
    if (step_ == Step::Write) return fail();
    if (step_ == Step::WriteNothing) return 0;
    if (step_ == Step::InterruptedWrite && writes_ == 1) return fail();
    if (step_ == Step::ShortWrite && bytes > 1) return FileSystem::write(fd, data, bytes / 2);
    return FileSystem::write(fd, data, bytes);
  }
  int fsync(int fd) override {
    ++fsyncs_;
    if (step_ == Step::Fsync && fsyncs_ == 1) return fail();
    if (step_ == Step::FsyncDir && fsyncs_ == 2) return fail();
    return FileSystem::fsync(fd);
  }
  int close(int fd) override {
    const int result = FileSystem::close(fd);  // the descriptor goes either way, as close(2) says
    if (step_ == Step::Close && ++closes_ == 1) return fail();
    return result;
  }
  int rename(const std::string& from, const std::string& to) override {
    if (step_ == Step::Rename) return fail();
    return FileSystem::rename(from, to);
  }
  int openDirectory(const std::string& path) override {
    if (step_ == Step::OpenDir) return fail();
    return FileSystem::openDirectory(path);
  }
  int writes() const { return writes_; }

 private:
  int fail() {
    errno = error_;
    return -1;
  }
  Step step_;
  int error_;
  int writes_ = 0, fsyncs_ = 0, closes_ = 0;
};

struct Installed {
  explicit Installed(detail::FileSystem* fs) { detail::setFileSystemForTesting(fs); }
  ~Installed() { detail::setFileSystemForTesting(nullptr); }
};

class SaveFaults : public ::testing::Test {
 protected:
  SaveFaults() {
    snaptest::defineWorld(oldStore);
    oldStore.model("User").create({{"name", "old"}});
    saveSnapshot(oldStore, dir / "w.snap");
    snaptest::defineWorld(newStore);
    snaptest::fillWorld(newStore);
  }
  std::string loadedDump() { return dump(openSnapshot(dir / "w.snap")); }

  snaptest::TempDir dir;
  Store oldStore, newStore;
};

TEST_F(SaveFaults, AFailureBeforeTheRenameKeepsTheOldSnapshotAndLeavesNoTemporaryFile) {
  const std::vector<std::pair<Step, int>> faults = {{Step::CreateTemp, EACCES}, {Step::Write, ENOSPC},
                                                    {Step::Write, EIO},         {Step::WriteNothing, 0},
                                                    {Step::Fsync, EIO},         {Step::Close, EIO},
                                                    {Step::Rename, EXDEV}};
  for (auto [step, error] : faults) {
    FaultyFileSystem fs(step, error);
    Installed installed(&fs);
    EXPECT_THROW(saveSnapshot(newStore, dir / "w.snap"), SnapshotError) << static_cast<int>(step);
    EXPECT_EQ(dir.files(), std::vector<std::string>{"w.snap"}) << static_cast<int>(step);
    EXPECT_EQ(loadedDump(), dump(oldStore)) << static_cast<int>(step);
  }
}

TEST_F(SaveFaults, MessagesNameTheStepAndTheSystemsReason) {
  FaultyFileSystem fs(Step::Write, ENOSPC);
  Installed installed(&fs);
  try {
    saveSnapshot(newStore, dir / "w.snap");
    FAIL();
  } catch (const SnapshotError& e) {
    EXPECT_NE(std::string(e.what()).find("write at byte 0: No space left on device"), std::string::npos) << e.what();
  }
}

TEST_F(SaveFaults, AFailedFsyncIsNotRetried) {
  FaultyFileSystem fs(Step::Fsync, EIO);
  Installed installed(&fs);
  try {
    saveSnapshot(newStore, dir / "w.snap");
    FAIL();
  } catch (const SnapshotError& e) {
    EXPECT_NE(std::string(e.what()).find("fsync: Input/output error"), std::string::npos) << e.what();
  }
  EXPECT_EQ(loadedDump(), dump(oldStore));
}

TEST_F(SaveFaults, ShortAndInterruptedWritesAreResumed) {
  for (Step step : {Step::ShortWrite, Step::InterruptedWrite}) {
    FaultyFileSystem fs(step, EINTR);
    Installed installed(&fs);
    saveSnapshot(newStore, dir / "w.snap");
    EXPECT_GT(fs.writes(), 1);
    EXPECT_EQ(loadedDump(), dump(newStore));
    EXPECT_EQ(dir.files(), std::vector<std::string>{"w.snap"});
  }
}

TEST_F(SaveFaults, AFailureAfterTheRenameReportsFailureWithTheNewFileComplete) {
  for (Step step : {Step::OpenDir, Step::FsyncDir}) {
    saveSnapshot(oldStore, dir / "w.snap");
    FaultyFileSystem fs(step, EIO);
    Installed installed(&fs);
    EXPECT_THROW(saveSnapshot(newStore, dir / "w.snap"), SnapshotError);
    EXPECT_EQ(dir.files(), std::vector<std::string>{"w.snap"});
    EXPECT_EQ(loadedDump(), dump(newStore));
  }
}

TEST_F(SaveFaults, AsyncSavesFailTheSameWay) {
  FaultyFileSystem fs(Step::Fsync, EIO);
  Installed installed(&fs);
  std::future<void> pending = saveSnapshotAsync(newStore, dir / "w.snap");
  EXPECT_THROW(pending.get(), SnapshotError);
  EXPECT_EQ(dir.files(), std::vector<std::string>{"w.snap"});
  EXPECT_EQ(loadedDump(), dump(oldStore));
}

}  // namespace
