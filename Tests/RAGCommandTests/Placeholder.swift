// placeholder until AskCommand tests
