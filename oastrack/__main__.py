from oastrack.cli.launch import main

main()
