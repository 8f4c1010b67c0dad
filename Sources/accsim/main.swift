import AccsimCLI

AccsimCommand.main()
