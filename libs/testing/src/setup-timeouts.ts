// Integration and e2e specs wait on a real broker and database: give hooks and tests room.
jest.setTimeout(120_000);
