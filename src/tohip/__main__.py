from tohip.cli.main import main

main()
