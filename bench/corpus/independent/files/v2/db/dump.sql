-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'mkovacs1@shop.test','$2a$10$KFWIUXhIziFLU9RU3cX2fbv1omrOyA24Le31Poz/M6EFt5IMixHe7',NULL);
INSERT INTO `users` VALUES (2,'svc_app2@shop.test','$1$KU0FYqBF$KP9Rz.hVePssa.Qn4BGDD7',NULL);
INSERT INTO `users` VALUES (3,'alice3@shop.test','$2b$10$dS8CmZrbWXM/Nv6XQO.z1h7512Ojg8P9e2HbCT2KQeW4ydtVCpLFg',NULL);
INSERT INTO `users` VALUES (4,'ops4@shop.test','$1$YUaxtcQh$uEsKTAmakuKQDpnG1xqqNa',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','1986b7933520570a5e140885c8708a73ca3304f51b9766884a8987e45ceb5303');
