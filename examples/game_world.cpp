// game_world: the demo README runs. A small game server's world state kept in
// relstore: players and items, created, queried, updated and destroyed, with
// the time each step took.
//
//   scripts/demo.sh            # builds Release and runs this
//   build/release/examples/game_world [players] [snapshot file]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <random>
#include <string>

#include <relstore/relstore.h>
#include <relstore/snapshot.h>

using namespace relstore;

namespace {

class Stopwatch {
 public:
  double millis() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

template <class F>
auto timed(const char* what, F&& f) {
  Stopwatch sw;
  auto result = f();
  std::printf("  %-58s %9.2f ms\n", what, sw.millis());
  return result;
}

// The world's schema, as the server's code defines it at every start (a
// snapshot load fills these models; it never defines them).
void defineWorld(Store& world, int& itemsDestroyed, int& levelUps) {
  Model players = world.define("Player", {
      {.name = "name", .type = Type::Text, .allowNull = false, .unique = true},
      {.name = "level", .type = Type::Int, .allowNull = false, .index = true, .defaultValue = 1},
      {.name = "gold", .type = Type::Real, .defaultValue = 0.0,
       .validate = [](const Value& v) {
         if (v.asReal() < 0) throw ValidationError("gold cannot go below zero");
       }},
      {.name = "online", .type = Type::Bool, .defaultValue = false},
  });
  Model items = world.define("Item", {
      {.name = "kind", .type = Type::Text, .allowNull = false, .index = true},
      {.name = "ownerId", .type = Type::Int},
      {.name = "power", .type = Type::Int},
  });
  Model guilds = world.define("Guild", {{.name = "name", .type = Type::Text, .unique = true}});
  Model quests = world.define("Quest", {{.name = "title", .type = Type::Text}});
  Model progress = world.define("QuestProgress", {{.name = "stage", .type = Type::Int, .defaultValue = 0}});
  Model mounts = world.define("Mount", {{.name = "kind", .type = Type::Text}});

  // Associations: both sides of each pair share one key column and one index.
  guilds.hasMany(players, {.as = "members"});
  players.belongsTo(guilds);
  items.addHook(Hook::AfterDestroy, [&itemsDestroyed](Instance&) { ++itemsDestroyed; });
  players.hasMany(items, {.foreignKey = "ownerId", .as = "inventory", .onDelete = Action::Cascade, .hooks = true});
  items.belongsTo(players, {.foreignKey = "ownerId", .as = "owner"});
  players.belongsToMany(quests, {.through = {.model = progress}});
  quests.belongsToMany(players, {.through = {.model = progress}});
  players.hasOne(mounts, {.onDelete = Action::Cascade});
  players.addHook(Hook::AfterUpdate, [&levelUps](Instance&) { ++levelUps; });
}

// Every row of every model, as JSON, in id order: equal strings, equal worlds.
std::string contents(const Store& store) {
  std::string out;
  for (const Model& m : store.models()) {
    out += m.name() + ":";
    for (const Instance& row : m.unscoped().findAll({.order = {{"id", Direction::Asc}}})) out += row.toJSON();
    out += "\n";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int playerCount = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const std::filesystem::path snapshotPath = argc > 2 ? argv[2] : "world.relsnap";
  std::mt19937 rng(42);
  Store world;
  int itemsDestroyed = 0, levelUps = 0;
  defineWorld(world, itemsDestroyed, levelUps);
  Model players = world.model("Player");
  Model items = world.model("Item");
  Model guilds = world.model("Guild");
  Model quests = world.model("Quest");
  Model progress = world.model("QuestProgress");
  Model mounts = world.model("Mount");

  std::printf("relstore game_world: %d players\n", playerCount);
  const int guildCount = std::max(1, playerCount / 100);
  timed("create guilds", [&] {
    for (int g = 0; g < guildCount; ++g) guilds.create({{"name", "guild" + std::to_string(g)}});
    return 0;
  });

  timed("create players (Model::create, one Record each)", [&] {
    for (int i = 0; i < playerCount; ++i) {
      players.create({{"name", "player" + std::to_string(i)},
                      {"level", static_cast<int>(rng() % 60) + 1},
                      {"gold", static_cast<double>(rng() % 10000) / 10},
                      {"online", rng() % 4 == 0},
                      {"GuildId", static_cast<int>(rng() % guildCount) + 1}});
    }
    return 0;
  });
  const char* kinds[] = {"sword", "shield", "potion", "bow", "ring"};
  timed("create 3 items per player (bulkCreate, all or nothing)", [&] {
    std::vector<Record> batch;
    batch.reserve(static_cast<std::size_t>(playerCount) * 3);
    for (int i = 0; i < playerCount * 3; ++i) {
      batch.push_back({{"kind", kinds[rng() % 5]}, {"ownerId", i / 3 + 1}, {"power", static_cast<int>(rng() % 100)}});
    }
    return items.bulkCreate(batch).size();
  });

  timed("create 20 quests, each player on 3 (junction with a stage)", [&] {
    for (int q = 0; q < 20; ++q) quests.create({{"title", "quest" + std::to_string(q)}});
    std::vector<Record> links;
    for (int p = 1; p <= playerCount; ++p) {
      for (int k = 0; k < 3; ++k) {
        links.push_back({{"PlayerId", p}, {"QuestId", (p + k * 7) % 20 + 1}, {"stage", static_cast<int>(rng() % 5)}});
      }
    }
    return progress.bulkCreate(links).size();
  });

  auto ann = timed("findOne by unique name (hash index)", [&] {
    return players.findOne({.where = {{"name", "player4242"}}});
  });
  std::printf("    -> %s\n", ann ? ann->toJSON().c_str() : "not found");

  auto top = timed("top 5 online players by gold (scan + partial sort)", [&] {
    return players.findAll({.where = col("online") == true && col("level") >= 50,
                            .order = {{"gold", Direction::Desc}},
                            .limit = 5,
                            .attributes = {"name", "level", "gold"}});
  });
  for (const Instance& p : top) std::printf("    -> %s\n", p.toJSON().c_str());

  const auto level60 = timed("count level-60 players (secondary index)", [&] {
    return players.count({.where = col("level") == 60});
  });
  std::printf("    -> %zu players at level 60\n", level60);

  const auto rings = timed("count rings of players 1..1000 (index + filter)", [&] {
    std::vector<Value> owners;
    for (int i = 1; i <= 1000; ++i) owners.push_back(i);
    return items.count({.where = col("ownerId").in(owners) && col("kind") == "ring"});
  });
  std::printf("    -> %zu rings\n", rings);

  timed("level up every level-59 player (Model::update, hooks run)", [&] {
    return players.update({{"level", 60}}, col("level") == 59);
  });
  std::printf("    -> %d AfterUpdate hooks ran\n", levelUps);

  if (ann) {
    try {
      ann->update({{"gold", -5.0}});
    } catch (const ValidationError& e) {
      std::printf("  refused as expected: %s\n", e.what());
      ann->reload();
    }
    try {
      players.create({{"name", "player4242"}});
    } catch (const UniqueConstraintError& e) {
      std::printf("  refused as expected: %s\n", e.what());
    }
  }

  // Lazy loading and the association methods.
  Instance hero = *players.findByPk(42);
  const auto inventory = timed("hero.assoc(\"inventory\").get() (lazy load)", [&] { return hero.assoc("inventory").get(); });
  std::printf("    -> %zu items; first: %s\n", inventory.size(), inventory.empty() ? "-" : inventory[0].toJSON().c_str());
  const auto heroQuests = timed("hero.assoc(\"Quests\").get() (through QuestProgress)", [&] {
    return hero.assoc("Quests").get({.order = {{"title"}}});
  });
  for (const Instance& q : heroQuests) std::printf("    -> %s\n", q.toJSON().c_str());
  timed("hero.assoc(\"Mount\").create (hasOne)", [&] { return hero.assoc("Mount").create({{"kind", "griffin"}}); });
  timed("hero.assoc(\"inventory\").create (hasMany)", [&] {
    return hero.assoc("inventory").create({{"kind", "sword"}, {"power", 99}});
  });
  timed("hero.assoc(\"Quests\").add with a stage (junction update)", [&] {
    hero.assoc("Quests").add(heroQuests.front(), {{"stage", 4}});
    return 0;
  });
  std::printf("    -> mount: %s; %zu items; guild: %s\n", hero.assoc("Mount").getOne()->toJSON().c_str(),
              hero.assoc("inventory").count(), hero.assoc("Guild").getOne()->get<std::string>("name").c_str());
  const auto ids = players.association("inventory").ids(hero.id());
  std::printf("    -> inventory ids without copying: %zu ids, first %lld\n", ids.size(),
              static_cast<long long>(ids.empty() ? 0 : ids[0]));
  // A trade in a transaction: the sword goes to player 7 for one gold more
  // than player 7 has, all or nothing. Player 7 cannot pay (gold may not go
  // below zero), so the item's move and the hero's payment are undone too.
  Instance buyer = *players.findByPk(7);
  const double price = buyer.get<double>("gold") + 1;
  const Instance sword = hero.assoc("inventory").get({.where = {{"kind", "sword"}}}).front();
  const std::string swordBefore = sword.toJSON(), heroBefore = hero.toJSON();
  const bool traded = timed("trade in a transaction (refused: buyer short of gold)", [&] {
    try {
      world.transaction([&] {
        Instance(sword).update({{"ownerId", buyer.id()}});
        hero.update({{"gold", hero.get<double>("gold") + price}});
        buyer.update({{"gold", buyer.get<double>("gold") - price}});  // throws: validation
      });
      return true;
    } catch (const ValidationError&) {
      return false;
    }
  });
  std::printf("    -> traded: %s; sword and hero unchanged: %s\n", traded ? "yes" : "no",
              sword.toJSON() == swordBefore && hero.toJSON() == heroBefore ? "yes" : "NO");
  const std::size_t itemsBefore = items.count();
  timed("destroy the hero (cascade: items with hooks, mount, quest links)", [&] {
    hero.destroy();
    return 0;
  });
  std::printf("    -> %zu items gone (%d AfterDestroy hooks), mounts left: %zu, quest links left: %zu\n",
              itemsBefore - items.count(), itemsDestroyed, mounts.count(), progress.count());

  const auto gone = timed("destroy items of player 1..100 (index)", [&] {
    std::vector<Value> owners;
    for (int i = 1; i <= 100; ++i) owners.push_back(i);
    return items.destroy(col("ownerId").in(owners));
  });
  std::printf("    -> %zu items destroyed\n", gone);

  timed("checkIntegrity (recompute every index)", [&] {
    world.checkIntegrity();
    return 0;
  });
  const double mb = static_cast<double>(world.memoryUsage()) / (1024.0 * 1024.0);
  std::printf("  store holds %zu players and %zu items in %.1f MiB (%.0f bytes per row)\n", players.count(),
              items.count(), mb, static_cast<double>(world.memoryUsage()) / static_cast<double>(players.count() + items.count()));

  // Snapshots: save, reload into a fresh store defined by the same code, compare.
  std::printf("snapshots (%s):\n", snapshotPath.c_str());
  timed("saveSnapshot (binary: stream, fsync, rename)", [&] {
    saveSnapshot(world, snapshotPath);
    return 0;
  });
  std::printf("    -> %.1f MiB on disk\n", static_cast<double>(std::filesystem::file_size(snapshotPath)) / (1024.0 * 1024.0));
  auto reload = [&](const char* what) {
    auto fresh = std::make_unique<Store>();
    int destroyedHooks = 0, levelUpHooks = 0;
    defineWorld(*fresh, destroyedHooks, levelUpHooks);
    const LoadReport report = timed(what, [&] { return loadSnapshot(*fresh, snapshotPath); });
    std::printf("    -> %zu rows loaded, every index rebuilt and checked\n", report.rows);
    return fresh;
  };
  const std::string saved = contents(world);
  const bool equal = contents(*reload("loadSnapshot into a fresh store")) == saved;
  std::printf("    -> reloaded store %s the world\n", equal ? "equals" : "DIFFERS FROM");

  std::future<void> pending = timed("saveSnapshotAsync: the tick is blocked only this long", [&] {
    return saveSnapshotAsync(world, snapshotPath);
  });
  const std::size_t logouts = players.update({{"online", false}}, col("online") == true);  // the world moves on
  timed("  ... while the worker writes the copy", [&] {
    pending.get();
    return 0;
  });
  const bool pointInTime = contents(*reload("loadSnapshot of the async save")) == saved;
  std::printf("    -> it holds the world as at the call (%zu logouts after it not included): %s\n", logouts,
              pointInTime ? "yes" : "NO");
  return equal && pointInTime ? 0 : 1;
}
