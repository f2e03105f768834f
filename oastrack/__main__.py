from oastrack.cli.app import main

main()
