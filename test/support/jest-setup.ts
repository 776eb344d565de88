// Many suites start real processes (Azurite, the Service Bus emulator, the simulator, the host) on a shared 2-core
// machine; this is a ceiling against hangs, not a speed target.
jest.setTimeout(180_000);
