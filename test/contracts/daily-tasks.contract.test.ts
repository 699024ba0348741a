import { TableDailyTasks } from '../../src/adapters/storage/daily-tasks';
import { FakeDailyTasks } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { describeDailyTasksContract } from './daily-tasks.contract';
import { uniqueName } from './fixtures';

describeDailyTasksContract('in memory (FakeDailyTasks)', () => {
  const tasks = new FakeDailyTasks();
  return { tasks, anotherInstance: () => tasks };
});

describeDailyTasksContract('Azure Tables on Azurite (TableDailyTasks)', () => {
  const table = uniqueName('daily');
  return {
    tasks: new TableDailyTasks(testStorageConnectionString(), table),
    anotherInstance: () => new TableDailyTasks(testStorageConnectionString(), table),
  };
});
